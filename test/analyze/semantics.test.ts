import { decide, type Request } from '../../analyze/authorization';
import { callerOf, principalOf } from '../../analyze/call-graph';
import { httpMatchCovers } from '../../analyze/checks/unreachable-rules';
import { protocolOf } from '../../analyze/checks/port-names';
import { hostsOverlap, matchesPattern, resourceKeyOfHost, toFqdn } from '../../analyze/hosts';
import type { AuthorizationPolicyModel } from '../../analyze/mesh';

// The rules the checks decide by, one at a time.

describe('host names', () => {
  test('short names are read in the namespace of the object naming them; dotted names and wildcards stay as written', () => {
    expect(toFqdn('reviews', 'bookinfo')).toBe('reviews.bookinfo.svc.cluster.local');
    expect(toFqdn('reviews.bookinfo', 'default')).toBe('reviews.bookinfo');
    expect(toFqdn('*.example.com', 'default')).toBe('*.example.com');
    expect(resourceKeyOfHost('reviews', 'bookinfo')).toBe(resourceKeyOfHost('reviews.bookinfo.svc.cluster.local', 'other'));
  });

  test.each([
    ['a.example.com', 'a.example.com', true],
    ['a.example.com', 'b.example.com', false],
    ['*', 'a.example.com', true],
    ['*.example.com', 'a.example.com', true],
    ['a.example.com', '*.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', '*.a.example.com', true],
    ['*.example.org', '*.example.com', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(hostsOverlap(a, b)).toBe(expected);
    expect(hostsOverlap(b, a)).toBe(expected);
  });

  test.each([['*', 'x', true], ['GET', 'GET', true], ['GE*', 'GET', true], ['*/sa/web', 'cluster.local/ns/demo/sa/web', true], ['GET', 'POST', false]])(
    'pattern %s matches %s: %s', (pattern, value, expected) => expect(matchesPattern(pattern, value)).toBe(expected),
  );
});

describe('Service port protocols', () => {
  const port = (name?: string, extra: object = {}) => ({ name, port: 8080, protocol: 'TCP', path: [], ...extra });
  test.each([
    ['http', 'http'], ['http-web', 'http'], ['HTTP2', 'http2'], ['grpc-web-ui', 'grpc-web'], ['tcp-db', 'tcp'], ['web', undefined], [undefined, undefined],
  ])('name %s declares %s', (name, protocol) => expect(protocolOf(port(name))).toBe(protocol));
  test('appProtocol wins over the name; well-known ports and UDP need no name', () => {
    expect(protocolOf(port('web', { appProtocol: 'http' }))).toBe('http');
    expect(protocolOf(port('web', { appProtocol: 'kubernetes.io/h2c' }))).toBe('kubernetes.io/h2c');
    expect(protocolOf(port('db', { port: 3306 }))).toBe('tcp');
    expect(protocolOf(port('dns', { protocol: 'UDP' }))).toBe('udp');
  });
});

describe('an earlier HTTP match covers a later one when it asks for no more', () => {
  test.each([
    [{}, { uri: { prefix: '/a' } }, true],
    [{ uri: { prefix: '/api' } }, { uri: { prefix: '/api/v1' } }, true],
    [{ uri: { prefix: '/api' } }, { uri: { exact: '/api/x' } }, true],
    [{ uri: { prefix: '/api/v1' } }, { uri: { prefix: '/api' } }, false],
    [{ uri: { exact: '/a' } }, { uri: { exact: '/a' }, method: { exact: 'GET' } }, true],
    [{ uri: { exact: '/a' }, method: { exact: 'GET' } }, { uri: { exact: '/a' } }, false],
    [{ uri: { regex: '/a.*' } }, { uri: { prefix: '/a' } }, false],
    [{ uri: { regex: '/a.*' } }, { uri: { regex: '/a.*' } }, true],
    [{ headers: { 'end-user': { exact: 'jason' } } }, { headers: { 'end-user': { exact: 'jason' }, x: { exact: 'y' } } }, true],
    [{ headers: { 'end-user': { exact: 'jason' } } }, { headers: { 'end-user': { exact: 'alice' } } }, false],
    [{ uri: { prefix: '/A' }, ignoreUriCase: true }, { uri: { prefix: '/a/b' }, ignoreUriCase: true }, true],
    [{ uri: { prefix: '/a' } }, { uri: { prefix: '/a' }, ignoreUriCase: true }, false],
    [{ port: 80 }, { port: 80, uri: { exact: '/' } }, true],
    [{ port: 80 }, { port: 81 }, false],
    [{ sourceLabels: { app: 'a' } }, { sourceLabels: { app: 'a', version: 'v1' } }, true],
    [{ gateways: ['mesh', 'gw'] }, { gateways: ['gw'] }, true],
    [{ gateways: ['gw'] }, {}, false],
    [{ withoutHeaders: { x: { exact: '1' } } }, { withoutHeaders: { x: { exact: '1' } } }, true],
    [{ withoutHeaders: { x: { exact: '1' } } }, {}, false],
    [{ name: 'first', uri: { exact: '/a' } }, { name: 'second', uri: { exact: '/a' } }, true],
  ])('%j covers %j: %s', (earlier, later, expected) => {
    expect(httpMatchCovers(earlier, later)).toBe(expected);
  });
});

describe('authorization, as Istio decides it', () => {
  const policy = (action: string, rules: object[]): AuthorizationPolicyModel => ({
    object: { manifest: { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: action } }, ref: { apiVersion: '', kind: '', name: action }, index: 0, named: true },
    namespace: 'demo',
    targetsRefs: false,
    action,
    rules: rules.map((rule, i) => ({ ...rule, path: ['spec', 'rules', i] })),
  });
  const get: Request = { principal: 'cluster.local/ns/demo/sa/client', port: 8080, method: 'GET' };
  const allowClient = policy('ALLOW', [{ from: [{ source: { principals: ['cluster.local/ns/demo/sa/client'] } }], to: [{ operation: { methods: ['GET'], ports: ['8080'] } }] }]);

  test('without ALLOW policies everything is allowed; an ALLOW policy without rules allows nothing', () => {
    expect(decide([], get).allowed).toBe(true);
    expect(decide([policy('ALLOW', [])], get).allowed).toBe(false);
  });

  test('a request is allowed when some ALLOW rule admits its source, port and method', () => {
    expect(decide([policy('ALLOW', []), allowClient], get).allowed).toBe(true);
    expect(decide([allowClient], { ...get, method: 'DELETE' }).allowed).toBe(false);
    expect(decide([allowClient], { ...get, port: 9090 }).allowed).toBe(false);
    expect(decide([allowClient], { ...get, principal: 'cluster.local/ns/demo/sa/other' }).allowed).toBe(false);
    expect(decide([allowClient], { ...get, method: undefined }).allowed).toBe(false); // "any method" needs a rule for any method
  });

  test('namespaces, service accounts and negations are judged; request-time conditions give the benefit of the doubt', () => {
    expect(decide([policy('ALLOW', [{ from: [{ source: { namespaces: ['demo'] } }] }])], get).allowed).toBe(true);
    expect(decide([policy('ALLOW', [{ from: [{ source: { serviceAccounts: ['demo/client'] } }] }])], get).allowed).toBe(true);
    expect(decide([policy('ALLOW', [{ from: [{ source: { notNamespaces: ['demo'] } }] }])], get).allowed).toBe(false);
    expect(decide([policy('ALLOW', [{ to: [{ operation: { paths: ['/admin'] } }] }])], get).allowed).toBe(true);
    expect(decide([policy('ALLOW', [{ when: [{ key: 'request.headers[x]', values: ['1'] }] }])], get).allowed).toBe(true);
  });

  test('a DENY policy that matches wins over any ALLOW; one that only might match does not', () => {
    const deny = policy('DENY', [{ from: [{ source: { namespaces: ['demo'] } }], to: [{ operation: { methods: ['GET'] } }] }]);
    expect(decide([allowClient, deny], get)).toEqual({ allowed: false, deniedBy: deny });
    expect(decide([allowClient, policy('DENY', [{ to: [{ operation: { paths: ['/admin'] } }] }])], get).allowed).toBe(true);
  });

  test('principals are the identities of callers', () => {
    expect(principalOf({ namespace: 'bookinfo', serviceAccount: 'bookinfo-reviews' })).toBe('cluster.local/ns/bookinfo/sa/bookinfo-reviews');
    expect(callerOf('example.org/ns/a/sa/b')).toEqual({ trustDomain: 'example.org', namespace: 'a', serviceAccount: 'b' });
    expect(callerOf('not-a-principal')).toBeUndefined();
  });
});
