/**
 * Runs a command's body, turning an error into a message on stderr and exit code `errorExitCode`.
 * The body may return the exit code of a run that did not fail. The stack trace is printed too when
 * HELLO_ISTIO_DEBUG is set.
 */
export function runCommand(body: () => number | void, errorExitCode = 1): void {
  try {
    const exitCode = body();
    if (exitCode !== undefined) process.exitCode = exitCode;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.HELLO_ISTIO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = errorExitCode;
  }
}
