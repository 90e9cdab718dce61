import { parse } from 'yaml';
import { GKE_PLATFORM, GKE_PLATFORM_PROFILE } from '../../cdktf/mesh/gke-platform-profile';
import { describeWithReference, readReference } from '../helpers/reference';

describeWithReference('the GKE platform profile', () => {
  test("written out in the cni chart's values, it is Istio 1.30.3's profile-platform-gke.yaml", () => {
    expect(GKE_PLATFORM_PROFILE).toEqual(parse(readReference(`istio-1.30.3/profile-platform-${GKE_PLATFORM}.yaml`)));
  });
});
