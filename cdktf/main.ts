// Entry point for `cdktf synth` (see cdktf.json). `npm run synth` runs the same code for both apps at once.
import { loadEnvironments } from '../config';
import { TERRAFORM_OUTDIR } from './state';
import { synthesizeTerraform } from './terraform-app';

synthesizeTerraform(loadEnvironments(), process.env.CDKTF_OUTDIR ?? TERRAFORM_OUTDIR);
