import * as fs from 'node:fs';
import * as path from 'node:path';
import { notRun, resultOf, type CheckResult, type Toolbox } from '../check';
import { run } from '../process';
import { terraformStacks, type Subjects } from '../subjects';

const TITLE = 'Terraform: `tofu init` with the local plugin directory and `tofu validate` on every stack of dist/cdktf';

/** Installs providers from the plugin directory only: `tofu init` never asks a registry. */
function cliConfig(work: string, pluginDir: string): string {
  const file = path.join(work, 'tofurc');
  fs.writeFileSync(
    file,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(pluginDir)}\n    include = ["*/*/*"]\n  }\n}\n`,
  );
  return file;
}

/** OpenTofu's error blocks, as one line each: `Error: <summary>: <detail> (on <file> line <n>, in <block>)`. */
function errorsOf(output: string): string[] {
  const blocks = output.split(/\n(?=Error: )/).filter((b) => b.startsWith('Error: '));
  return blocks.map((b) =>
    b
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('1: {'))
      .join(' ')
      .replace(/\s+/g, ' ')
      .slice(0, 600),
  );
}

const MISSING_PROVIDER = /Failed to query available provider packages|was not found in any of the search locations/;

export function terraformCheck(subjects: Subjects, tools: Toolbox): CheckResult {
  const tofu = tools.tofu.path;
  if (!tofu) return notRun('terraform', TITLE, 'OpenTofu could not be had (see Tools)');
  const missing = tools.providers.filter((p) => !p.path).map((p) => `${p.name} ${p.wanted}`);
  fs.mkdirSync(tools.pluginDir, { recursive: true });
  const rc = cliConfig(tools.work, tools.pluginDir);
  const failures: string[] = [];
  const loaded: string[] = [];
  const validated: string[] = [];
  const notValidated: string[] = [];
  for (const stack of terraformStacks(subjects.dist)) {
    // A copy: init writes .terraform/ beside the configuration, and the committed dist/ stays as it is.
    const dir = path.join(tools.work, 'tofu', stack.id);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(stack.file, path.join(dir, 'cdk.tf.json'));
    const env = { TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: '1', TF_DATA_DIR: path.join(dir, '.terraform') };
    // -backend=false: the stacks' backends (local files, GCS) are not for this check; everything else is loaded.
    const init = run(tofu, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env });
    const output = `${init.stdout}\n${init.stderr}`;
    const errors = errorsOf(output);
    if (init.code === 0) {
      loaded.push(stack.id);
      const validate = run(tofu, ['validate', '-no-color'], { cwd: dir, env });
      if (validate.code === 0) validated.push(stack.id);
      else
        failures.push(
          ...errorsOf(`${validate.stdout}\n${validate.stderr}`).map((e) => `stack ${stack.id}: tofu validate: ${e}`),
        );
    } else if (errors.length > 0 && errors.every((e) => MISSING_PROVIDER.test(e))) {
      // The configuration loaded (init checks it before it looks for providers); only the providers are missing.
      loaded.push(stack.id);
      notValidated.push(stack.id);
    } else {
      failures.push(
        ...(errors.length > 0 ? errors : [`exit ${init.code}`]).map((e) => `stack ${stack.id}: tofu init: ${e}`),
      );
    }
  }
  const notes = [
    "`tofu init` loads and checks each stack's configuration before it installs providers: JSON syntax, the block " +
      'structure of the language (resource, data, output, provider, terraform blocks, meta-arguments such as ' +
      'depends_on, count, lifecycle) and provider requirements. That part runs whether or not the providers are there.',
  ];
  if (notValidated.length > 0) {
    notes.push(
      `**tofu validate NOT RUN** on ${notValidated.join(', ')}: the providers (${missing.join(', ')}) could not be ` +
        'had (see Tools), and without their schemas nothing checks resource attributes: a misspelt or unknown ' +
        'attribute, a wrong type, a missing required argument, or two attributes the provider declares conflicting ' +
        '(ConflictsWith/ExactlyOneOf) all go unnoticed here. The check comes alive when the providers are served.',
    );
  }
  const figure =
    `${loaded.length} of ${terraformStacks(subjects.dist).length} stacks load in OpenTofu; ` +
    (notValidated.length > 0 ? `tofu validate NOT RUN on ${notValidated.length} (providers missing); ` : '') +
    `${validated.length} validated; ${failures.length} errors`;
  const result = resultOf('terraform', TITLE, figure, failures, notes);
  return notValidated.length > 0 && failures.length === 0 ? { ...result, status: 'not run' } : result;
}
