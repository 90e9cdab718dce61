/**
 * Runs a command's body, turning an error into a message on stderr and exit code 1.
 * The stack trace is printed too when HELLO_ISTIO_DEBUG is set.
 */
export function runCommand(body: () => void): void {
  try {
    body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.HELLO_ISTIO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
