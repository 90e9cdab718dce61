import { durationProblem } from '../../cdk8s/networking/value-checks';

// Go's duration units, µs among them (written \u00b5 in the source so that the command bundles stay ASCII).
test.each([['7s'], ['500ms'], ['1m30s'], ['0.5s'], ['1000us'], ['1000µs'], ['2000000ns'], ['1h']])(
  '%s is a duration Istio accepts',
  (value) => expect(durationProblem(value)).toBeUndefined(),
);

test.each([['999µs'], ['999us'], ['7'], ['7 s'], ['-1s'], ['1ks']])('%s is refused', (value) =>
  expect(durationProblem(value)).toMatch(/must be a duration of at least 1ms/),
);
