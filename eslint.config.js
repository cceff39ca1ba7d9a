import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/**', '.casebridge/**', 'scratch/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The kernel knows no capability and does no I/O: it imports only itself and zod (docs/architecture.md).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./',
              message: 'src/core imports only src/core: a module plugs into the kernel, never the reverse',
            },
            { regex: '^(?!zod$|\\./)', message: 'src/core is pure: no I/O, no framework, nothing but zod' },
          ],
        },
      ],
    },
  },
  {
    // Rules are pure: the domain and the modules' rule files import no database, web framework or Node I/O. In a
    // module, only its entry, reads, table writes, service, view, pages and demo touch the rest (src/modules/README.md).
    files: ['src/domain/**/*.ts', 'src/modules/**/*.ts'],
    ignores: [
      'src/modules/*.ts',
      'src/modules/*/{index,reads,record,service,view,pages,demo}.ts',
      'src/modules/*/{reads,record,service,view,pages,demo}-*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(kysely|pg|fastify|@fastify/.*|@electric-sql/.*|nunjucks|node:(fs|net|http|child_process).*)$',
              message: 'The domain is pure: read and write through a service',
            },
            {
              regex: '(^|/)(data|services|web|cli)(/|$)',
              message: 'The domain imports no service, repository or page',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain is what belongs to no one module: it knows none of them (nor any service, repository or page).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(kysely|pg|fastify|@fastify/.*|@electric-sql/.*|nunjucks|node:(fs|net|http|child_process).*)$',
              message: 'The domain is pure: read and write through a service',
            },
            {
              regex: '(^|/)(data|services|web|cli|modules)(/|$)',
              message: 'The domain knows no module, service, repository or page',
            },
          ],
        },
      ],
    },
  },
  {
    // Routes get services only, never a repository or the database handle (docs/architecture.md).
    files: ['src/web/**/*.ts', 'src/modules/*/pages.ts', 'src/modules/*/pages-*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name=/^(repos|database)$/][object.name='services']",
          message: 'A route reaches the data through a service, never through services.repos or services.database',
        },
      ],
    },
  },
  {
    files: ['public/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { document: 'readonly', window: 'readonly' } },
  },
)
