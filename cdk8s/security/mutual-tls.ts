import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { PeerAuthentication, PeerAuthenticationSpecMtlsMode } from '../../imports/security.istio.io';

export interface MutualTlsProps {
  /** `STRICT` accepts only mutual TLS; `PERMISSIVE` accepts plain text too. */
  readonly mode: 'STRICT' | 'PERMISSIVE';
  /**
   * The namespace it covers; the control plane's root namespace makes it mesh-wide.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/**
 * Mutual TLS for every workload of a namespace (or, in the root namespace, of the mesh): a PeerAuthentication named
 * `default` with no selector, Istio's convention for the namespace- or mesh-wide policy.
 */
export class MutualTls extends Construct {
  public readonly peerAuthentication: PeerAuthentication;

  constructor(scope: Construct, id: string, props: MutualTlsProps) {
    super(scope, id);
    this.peerAuthentication = new PeerAuthentication(this, 'PeerAuthentication', {
      metadata: { name: 'default', namespace: props.namespace ?? Chart.of(this).namespace },
      spec: { mtls: { mode: PeerAuthenticationSpecMtlsMode[props.mode] } },
    });
  }
}
