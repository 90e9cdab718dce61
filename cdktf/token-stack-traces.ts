// cdktf captures a full stack trace (Error.captureStackTrace with no depth limit) for every token it creates, only to
// print it should that token fail to resolve; for a synth that is the largest single cost. Our constructs validate
// their props and name the bad value, so the capture is switched off: importing this module replaces the function
// cdktf calls (its modules look it up on every call). Imported by the CDKTF app and by the tests' setup.

const stackTrace: { captureStackTrace: () => string[] } = require('cdktf/lib/tokens/private/stack-trace');

stackTrace.captureStackTrace = () => [];
