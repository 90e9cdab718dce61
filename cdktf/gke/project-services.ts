import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { Construct } from 'constructs';

export interface ProjectServicesProps {
  /** API names, such as container.googleapis.com. */
  readonly services: readonly string[];
}

/**
 * Enables the Google APIs a stack needs, so that a fresh project deploys without clicking through the console.
 * Destroying the stack leaves them enabled: other things in the project may use them.
 */
export class ProjectServices extends Construct {
  /** One resource per API, for `dependsOn`. */
  public readonly resources: ProjectService[];

  constructor(scope: Construct, id: string, props: ProjectServicesProps) {
    super(scope, id);
    this.resources = [...props.services]
      .sort()
      .map((service) => new ProjectService(this, service.split('.')[0], { service, disableOnDestroy: false }));
  }
}
