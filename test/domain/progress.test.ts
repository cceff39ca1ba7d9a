import { describe, expect, it } from 'vitest'
import { progress } from '../../src/cli/progress'

describe('progress of a long run, off a terminal', () => {
  it('writes a plain line at each tenth and at the end, never a run-on line', () => {
    const written: string[] = []
    const stream = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream
    const shown = progress(20000, 'cases', stream)
    // The generator reports after each batch, of whatever size.
    for (let done = 500; done <= 20000; done += 500) shown.update(done)
    shown.stop()
    expect(written).toEqual([
      '2000 of 20000 cases\n',
      '4000 of 20000 cases\n',
      '6000 of 20000 cases\n',
      '8000 of 20000 cases\n',
      '10000 of 20000 cases\n',
      '12000 of 20000 cases\n',
      '14000 of 20000 cases\n',
      '16000 of 20000 cases\n',
      '18000 of 20000 cases\n',
      '20000 of 20000 cases\n',
    ])
  })

  it('says the end once even when the last report repeats it, and small runs line by line', () => {
    const written: string[] = []
    const stream = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream
    const shown = progress(3, 'cases', stream)
    for (const done of [1, 2, 3, 3]) shown.update(done)
    expect(written).toEqual(['1 of 3 cases\n', '2 of 3 cases\n', '3 of 3 cases\n'])
  })
})
