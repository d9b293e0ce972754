import { createInterface } from "node:readline";

/**
 * Reads a secret for the CLI: from a terminal without echoing it, or the first line of piped input
 * (so scripts can pass it without putting it in the process list, unlike --password).
 */
export function promptSecret(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input, output: input.isTTY ? output : undefined, terminal: Boolean(input.isTTY) });
    if (input.isTTY) {
      output.write(question);
      // Swallow the typed characters instead of echoing them.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    }
    let answered = false;
    rl.once("line", (line) => {
      answered = true;
      if (input.isTTY) output.write("\n");
      rl.close();
      resolve(line);
    });
    rl.once("close", () => {
      if (!answered) reject(new Error("No password given (use --password or type one)"));
    });
  });
}
