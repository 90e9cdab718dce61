import { z } from 'zod';

/** An IPv4 range in CIDR notation, parsed. */
interface Ipv4Range {
  readonly first: number;
  readonly last: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; undefined when it is not an IPv4 CIDR with the host bits zero. */
function parseCidr(cidr: string): Ipv4Range | undefined {
  const match = CIDR.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined;
  return { first: address, last: address + size - 1 };
}

/** An IPv4 CIDR block such as 10.10.0.0/20, with no host bits set. */
export const cidrBlock = z.string().refine((v) => parseCidr(v) !== undefined, {
  error: 'must be an IPv4 CIDR block such as 10.10.0.0/20, with the host bits zero',
});

/** The cluster's own address ranges. They must not overlap one another. */
export const clusterNetworkSchema = z
  .object({
    /**
     * Primary range of the subnet the nodes get their addresses from.
     * @default '10.10.0.0/20'
     */
    nodes: cidrBlock.default('10.10.0.0/20'),
    /**
     * Secondary range for Pod addresses (VPC-native networking).
     * @default '10.20.0.0/14'
     */
    pods: cidrBlock.default('10.20.0.0/14'),
    /**
     * Secondary range for Service addresses.
     * @default '10.24.0.0/20'
     */
    services: cidrBlock.default('10.24.0.0/20'),
    /**
     * The /28 the control plane's private endpoint uses (private nodes reach it there).
     * @default '172.16.0.0/28'
     */
    controlPlane: cidrBlock
      .refine((v) => v.endsWith('/28'), { error: 'must be a /28, as GKE requires for the control plane range' })
      .default('172.16.0.0/28'),
  })
  .strict()
  .superRefine((ranges, ctx) => {
    const entries = Object.entries(ranges) as [keyof typeof ranges, string][];
    entries.forEach(([name, cidr], i) => {
      for (const [otherName, otherCidr] of entries.slice(i + 1)) {
        const a = parseCidr(cidr);
        const b = parseCidr(otherCidr);
        if (a && b && a.first <= b.last && b.first <= a.last) {
          ctx.addIssue({
            code: 'custom',
            path: [otherName],
            input: otherCidr,
            message: `overlaps ${name} (${cidr}); the cluster's ranges must be disjoint`,
          });
        }
      }
    });
  });

export type ClusterNetwork = z.output<typeof clusterNetworkSchema>;

/** A network allowed to reach the control plane's public endpoint. */
export const authorizedNetworkSchema = z
  .object({
    cidrBlock,
    /** What the range is, for people reading the cluster's configuration (an office, a VPN, a CI runner). */
    displayName: z.string().min(1, { error: 'must say what the range is' }).max(100),
  })
  .strict();

export type AuthorizedNetwork = z.output<typeof authorizedNetworkSchema>;
