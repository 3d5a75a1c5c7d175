// The contract between a benchmark target and the runner: a target prints one JSON line
// (`{"port":…}` plus what the runner needs) on stdout once it listens, and stops on SIGTERM.
export function announce(info) {
  process.stdout.write(`${JSON.stringify(info)}\n`);
}

export function stopOnSigterm(stop) {
  process.once('SIGTERM', () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
