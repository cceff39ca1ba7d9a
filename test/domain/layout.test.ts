import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The layout's rules (docs/architecture.md, decision 0033), read from the source: the kernel in src/core imports no
 * module and nothing impure, and no two source files import each other, however far round.
 */
const root = path.resolve(import.meta.dirname, '../..')
const src = path.join(root, 'src')

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return entry.name.endsWith('.ts') ? [full] : []
  })
}

const files = sourceFiles(src)

/**
 * What a file imports: relative imports resolved to files, and packages by name. `runtime` leaves out type-only
 * imports and dynamic `import()`, which TypeScript erases or which run later: a circle is one the program runs into
 * when its modules load.
 */
function importsOf(file: string): { local: string[]; runtime: string[]; packages: string[] } {
  const text = fs.readFileSync(file, 'utf8')
  const found = [
    ...text.matchAll(
      /(?:^|\n)\s*(import|export)(\s+type\b)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => ({ spec: m[3] ?? m[4]!, runtime: m[3] !== undefined && !m[2] }))
  const local: string[] = []
  const runtime: string[] = []
  const packages: string[] = []
  for (const { spec, runtime: atLoad } of found) {
    if (!spec.startsWith('.')) {
      packages.push(spec)
      continue
    }
    const base = path.resolve(path.dirname(file), spec)
    if (/\.json$/.test(base)) continue
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f))
    if (!target) throw new Error(`${path.relative(root, file)} imports ${spec}, which is not a file`)
    local.push(target)
    if (atLoad) runtime.push(target)
  }
  return { local, runtime, packages }
}

const graph = new Map(files.map((f) => [f, importsOf(f)]))
const relative = (f: string) => path.relative(root, f)

describe('the layout', () => {
  it('keeps the kernel free of modules and of anything impure', () => {
    const core = path.join(src, 'core')
    const problems: string[] = []
    for (const [file, { local, packages }] of graph) {
      if (!file.startsWith(core + path.sep)) continue
      for (const target of local)
        if (!target.startsWith(core + path.sep)) problems.push(`${relative(file)} imports ${relative(target)}`)
      for (const name of packages) if (name !== 'zod') problems.push(`${relative(file)} imports the package ${name}`)
    }
    expect(problems).toEqual([])
  })

  it('has no import circle that runs when the program loads', () => {
    // Tarjan's strongly connected components: any component of more than one file is a circle.
    const index = new Map<string, number>()
    const low = new Map<string, number>()
    const stack: string[] = []
    const onStack = new Set<string>()
    const circles: string[][] = []
    let next = 0
    const visit = (file: string) => {
      index.set(file, next)
      low.set(file, next++)
      stack.push(file)
      onStack.add(file)
      for (const target of graph.get(file)?.runtime ?? []) {
        if (!index.has(target)) {
          visit(target)
          low.set(file, Math.min(low.get(file)!, low.get(target)!))
        } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!))
      }
      if (low.get(file) === index.get(file)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.push(relative(member))
        } while (member !== file)
        if (component.length > 1) circles.push(component.sort())
      }
    }
    for (const file of files) if (!index.has(file)) visit(file)
    expect(circles).toEqual([])
  })
})

describe('source files', () => {
  it('are at most 600 lines', () => {
    const lengths = files.map((f) => [relative(f), fs.readFileSync(f, 'utf8').split('\n').length] as const)
    expect(lengths.filter(([, n]) => n > 600).map(([name]) => name)).toEqual([])
  })
})
