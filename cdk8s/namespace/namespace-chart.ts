import { Chart, type ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';

export interface NamespaceChartProps extends ChartProps {
  /** Name of the namespace that Bookinfo runs in. */
  readonly name: string;
  /**
   * Labels of the namespace, such as Pod Security Admission levels or injection labels.
   * @default - none besides the chart's labels
   */
  readonly namespaceLabels?: Record<string, string>;
}

/** The namespace Bookinfo runs in; written first so that everything else can land in it. */
export class NamespaceChart extends Chart {
  public readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: NamespaceChartProps) {
    super(scope, id, props);
    this.namespaceName = props.name;
    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: { name: props.name, labels: props.namespaceLabels },
    });
  }
}
