// cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, toHaveProvider, ...) and their types, for the
// test files that import this: loading cdktf in every test file would cost each of them its load time.
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';

Testing.setupJest();
