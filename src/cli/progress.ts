import cliProgress from 'cli-progress'

/**
 * Progress of a long run on standard error: a bar on a terminal (cli-progress), and on anything else (a log, CI) a
 * plain line at each tenth, so a log reads "2000 of 20000 cases" line by line rather than one run-on line.
 */
export function progress(total: number, what: string, stream: NodeJS.WriteStream = process.stderr) {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `{bar} {value} of {total} ${what} ({percentage}%, {eta_formatted} left)`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    )
    bar.start(total, 0)
    return { update: (done: number) => bar.update(done), stop: () => bar.stop() }
  }
  let shown = 0
  const step = Math.max(1, Math.ceil(total / 10))
  return {
    update(done: number) {
      if (done < total && done - shown < step) return
      if (done === shown) return
      shown = done
      stream.write(`${done} of ${total} ${what}\n`)
    },
    stop() {},
  }
}
