#!/usr/bin/env bash
# havoc sweep --slurm on a real Slurm (docs/sweeps.md "Chunks and Slurm", docs/slurm.md): starts a
# single-node cluster on localhost (installing slurm-wlm and munge if missing), writes the job-array script
# of a 3 x 2 sweep of the single-vessel benchmark in 3 chunks of 2 ranks each (2 groups of 1), submits it
# and waits, then checks that every array task completed, that the table equals the one the same sweep
# gives run directly, and that resubmitting the script skips every case that is done (the 2 invalid ones
# are tried again). The daemons are stopped at the end, whatever happens.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/slurm_lib.bash"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

printf 'name: slurm-grid\ncase: %s\noptions: {hemo_cycles: 2}\ngrid:\n  hemo_cfl: [0.9, 0.5, -1]\n  network_dx: [2 mm, 1 mm]\ncolumns: [run.steps, mass_balance.balance_rel_error]\n' \
  "$PWD/cases/benchmarks/single-vessel-pulse.yaml" >"$tmp/grid.yaml"
$havoc sweep "$tmp/grid.yaml" -o "$tmp/direct" >/dev/null 2>&1

slurm_up || exit 1
printf '  cluster: %s\n' "$(sinfo -h -o '%P %D node(s) %c CPUs %t' | head -1)"
$havoc sweep "$tmp/grid.yaml" -o "$tmp/viaslurm" --slurm "$tmp/grid.sbatch" -sweep_slurm_chunks 3 -sweep_slurm_ranks 2 -sweep_slurm_time 0:10:00 >"$tmp/write.log"
t0=$(date +%s)
job=$(sbatch --parsable "$tmp/grid.sbatch")
slurm_wait "$job" 600 || exit 1
printf '  job array %s: 3 tasks in %d s\n' "$job" "$(($(date +%s) - t0))"
states=$(slurm_states "$job" | tr '\n' ';')
check "every task COMPLETED with exit 0 ($states)" test "$(grep -o 'COMPLETED 0:0' <<<"$states" | wc -l)" -eq 3
check "each task ran its chunk as 2 groups of 1 rank" bash -c "[[ \$(cat '$tmp'/viaslurm/slurm/*.out | grep -c '2 groups of 1 rank') -eq 3 ]]"
check "the table is the direct run's (6 rows: 4 ok, 2 failed)" bash -c "diff <(cut -d, -f1-7 '$tmp/direct/results.csv') <(cut -d, -f1-7 '$tmp/viaslurm/results.csv') >/dev/null && [[ \$(grep -c ',ok,' '$tmp/viaslurm/results.csv') -eq 4 ]]"
bad=0
while IFS=, read -r id hash cfl dx status rest; do
  [[ $status == ok ]] || continue
  [[ -s "$tmp/viaslurm/cases/$id/result.h5" && -s "$tmp/viaslurm/cases/$id/summary.json" ]] || bad=$((bad + 1))
done < <(tail -n +2 "$tmp/viaslurm/results.csv")
check "every ok case has its result.h5 and summary.json ($bad missing)" test "$bad" -eq 0

job2=$(sbatch --parsable "$tmp/grid.sbatch")
slurm_wait "$job2" 600 || exit 1
skipped=$(cat "$tmp"/viaslurm/slurm/"${job2}"_*.out | sed -n 's/.* \([0-9]*\) skipped (done before).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
check "resubmitted: the $skipped done cases are skipped, the 2 invalid ones tried again" bash -c "[[ '$skipped' == 4 ]] && diff <(cut -d, -f1-7 '$tmp/direct/results.csv') <(cut -d, -f1-7 '$tmp/viaslurm/results.csv') >/dev/null"
slurm_down || exit 1
exit $status
