import { compareVersions } from '../../kube/versions';

describe('compareVersions', () => {
  it.each([
    ['1.29.6', '1.30.5'],
    ['1.30.5', '1.30.10'],
    ['v1.4.1', 'v1.5.1'],
    ['v1.4.1', '1.5.0'],
    ['1.30', '1.30.1'],
    ['1.31.0-rc.0', '1.31.1'],
  ])('orders %s before %s', (older, newer) => {
    expect(compareVersions(older, newer)).toBeLessThan(0);
    expect(compareVersions(newer, older)).toBeGreaterThan(0);
  });

  it('holds a leading v, a missing part and a pre-release suffix equal to the release', () => {
    expect(compareVersions('v1.5.1', '1.5.1')).toBe(0);
    expect(compareVersions('1.30', '1.30.0')).toBe(0);
    expect(compareVersions('1.31.0-rc.0', '1.31.0')).toBe(0);
  });

  it('sorts a list numerically, not as text', () => {
    expect(['1.30.10', '1.29.6', '1.30.5', '1.31.0'].sort(compareVersions)).toEqual([
      '1.29.6',
      '1.30.5',
      '1.30.10',
      '1.31.0',
    ]);
  });
});
