// Lint rules for the sources and tests; generated folders are not ours to lint.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'imports/**', 'schemas/**', '.build/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.vitest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // require() is how the commands load what only some runs need (yaml, the config schema), on first use.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Engines are rooms of their own: plain objects and settings in, objects or findings out. They read the object
  // model (kube/) and never the config, the apps or Bookinfo; kube/ reads nothing of ours.
  {
    files: ['inject/**/*.ts', 'analyze/**/*.ts', 'validate/**/*.ts', 'pod-security/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/config', '**/config/*', '**/cdk8s', '**/cdk8s/*', '**/cdktf', '**/cdktf/*'],
              message: 'engines take settings, not our config or apps',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['kube/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['../*', '!../kube'], message: 'kube/ is the ground floor: it imports nothing of ours' }],
        },
      ],
    },
  },
  // Tests read synthesized Terraform JSON and YAML, which have no types of their own.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
