import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { GKE_PLATFORM, GKE_PLATFORM_PROFILE } from '../../cdktf/mesh/gke-platform-profile';
import { PROJECT_ROOT } from '../../pipeline/project-root';

test("the GKE platform profile written out in the cni chart's values is Istio 1.30.3's profile-platform-gke.yaml", () => {
  const reference = path.join(PROJECT_ROOT, '..', 'shared', 'reference', 'istio-1.30.3', 'profile-platform-gke.yaml');
  expect(GKE_PLATFORM_PROFILE).toEqual(parse(fs.readFileSync(reference, 'utf8')));
  expect(path.basename(reference)).toBe(`profile-platform-${GKE_PLATFORM}.yaml`);
});
