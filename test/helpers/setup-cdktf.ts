import 'cdktf/lib/testing/adapters/jest'; // types of the matchers below
import { Testing } from 'cdktf';

// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toHaveProvider, ...
Testing.setupJest();
