#!/usr/bin/env bash
# havoc sweep (docs/sweeps.md): a 3 x 2 grid of the single-vessel benchmark (CFL 0.9, 0.5 and -1, which is
# invalid; cell size 2 mm and 1 mm):
# - --list: 6 cases, ids and hashes stable from one expansion to the next, an id kept when a value is
#   added to another option of the grid;
# - on 1 rank: 4 ok, 2 failed with the option's message, the others unaffected; each row's figures are
#   those of the case's own summary.json;
# - on 2 ranks as 2 groups of 1 (dynamic assignment) and as 1 group of 2: the same table;
# - resume: run again, nothing ok is rerun; an interrupted case (no status) and the failed ones are;
#   a changed base option changes every hash and reruns everything;
# - chunks (Slurm array tasks): the 3 chunks of 3 run one after the other give the table of the whole
#   sweep, each table row written by the task that ran it; -sweep_collect rebuilds the tables alone;
# - results.h5 holds the same rows as results.csv;
# - --slurm writes a job-array script with one task per chunk;
# - a virtual population (seeds 1-3, calibrated) times a grid: one patient per seed shared by its cases,
#   the same network as havoc mesh sample; the seeds whose calibration does not converge fail, once;
# - bad input, each with its message.
source "$(dirname "$0")/lib.bash"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

case_file=$PWD/cases/benchmarks/single-vessel-pulse.yaml
write_sweep() { # write_sweep FILE CYCLES CFL-LIST
  printf 'name: pulse-grid\ncase: %s\noptions:\n  hemo_cycles: %s\ngrid:\n  hemo_cfl: [%s]\n  network_dx: [2 mm, 1 mm]\ncolumns: [run.steps, mass_balance.balance_rel_error]\n' "$case_file" "$2" "$3" >"$1"
}
write_sweep "$tmp/s.yaml" 2 "0.9, 0.5, -1"
$havoc sweep "$tmp/s.yaml" -sweep_list >"$tmp/list1.csv"
$havoc sweep "$tmp/s.yaml" -sweep_list >"$tmp/list2.csv"
check "--list: $(($(wc -l <"$tmp/list1.csv") - 1)) cases, the same ids and hashes twice" bash -c "[[ \$(wc -l <'$tmp/list1.csv') -eq 7 ]] && cmp -s '$tmp/list1.csv' '$tmp/list2.csv'"
write_sweep "$tmp/s4.yaml" 2 "0.9, 0.5, -1, 0.7"
$havoc sweep "$tmp/s4.yaml" -sweep_list >"$tmp/list4.csv"
check "an added value keeps the other cases' ids ($(($(wc -l <"$tmp/list4.csv") - 1)) cases)" bash -c "[[ -z \$(comm -23 <(cut -d, -f1 '$tmp/list1.csv' | sort) <(cut -d, -f1 '$tmp/list4.csv' | sort)) ]]"

$havoc sweep "$tmp/s.yaml" -o "$tmp/r1" >"$tmp/r1.log" 2>"$tmp/r1.err"
sed -n 's/^\(havoc: sweep pulse-grid: 6 cases, .*\)/  \1/p' "$tmp/r1.log"
t=$tmp/r1/results.csv
check "1 rank: 4 ok, 2 failed" bash -c "[[ \$(grep -c ',ok,' '$t') -eq 4 && \$(grep -c ',failed,' '$t') -eq 2 ]]"
check "the failed rows carry the option's message" bash -c "[[ \$(grep -c 'option -hemo_cfl: -1 is outside' '$t') -eq 2 ]]"
bad=0
while IFS=, read -r id hash cfl dx status err steps rest; do
  [[ $status == ok ]] || continue
  want=$(jq -r '.run.steps' "$tmp/r1/cases/$id/summary.json")
  [[ "$steps" == "$want" ]] || bad=$((bad + 1))
done < <(tail -n +2 "$t")
check "each row's steps are its summary's ($bad wrong)" test "$bad" -eq 0

mpiexec -n 2 $havoc sweep "$tmp/s.yaml" -o "$tmp/r2" >"$tmp/r2.log" 2>/dev/null
mpiexec -n 2 $havoc sweep "$tmp/s.yaml" -o "$tmp/r3" -sweep_group_size 2 >"$tmp/r3.log" 2>/dev/null
for r in r2 r3; do
  check "$r ($(sed -n 's/.*, \([0-9]* groups\? of [0-9]* ranks\?\), .*/\1/p' "$tmp/$r.log")): the same table as on 1 rank" \
    bash -c "diff <(cut -d, -f1-7 '$t') <(cut -d, -f1-7 '$tmp/$r/results.csv') >/dev/null"
done
grep -q 'case [0-9] of 6' "$tmp/r2.log" && printf '  2 groups ran: %s\n' "$(grep -o 'case [0-9] of 6 ([a-z0-9]*) [a-z]*' "$tmp/r2.log" | tr '\n' ';')"

# resume
$havoc sweep "$tmp/s.yaml" -o "$tmp/r1" >"$tmp/again.log" 2>/dev/null
check "again: $(sed -n 's/.*, \([0-9]* run now, [0-9]* skipped\).*/\1/p' "$tmp/again.log") (the 2 failed rerun)" grep -q '2 run now, 4 skipped' "$tmp/again.log"
rm "$tmp/r1/cases/$(sed -n 2p "$t" | cut -d, -f1)/status.json"
$havoc sweep "$tmp/s.yaml" -o "$tmp/r1" >"$tmp/again2.log" 2>/dev/null
check "an interrupted case is rerun: $(sed -n 's/.*, \([0-9]* run now, [0-9]* skipped\).*/\1/p' "$tmp/again2.log")" grep -q '3 run now, 3 skipped' "$tmp/again2.log"
write_sweep "$tmp/s.yaml" 3 "0.9, 0.5, -1"
$havoc sweep "$tmp/s.yaml" -o "$tmp/r1" >"$tmp/again3.log" 2>/dev/null
check "a changed base option reruns all: $(sed -n 's/.*, \([0-9]* run now, [0-9]* skipped\).*/\1/p' "$tmp/again3.log")" grep -q '6 run now, 0 skipped' "$tmp/again3.log"

# chunks, as Slurm array tasks would run them, and the tables
for k in 0 1 2; do
  $havoc sweep "$tmp/s.yaml" -o "$tmp/r4" -sweep_chunk $k -sweep_chunks 3 >"$tmp/chunk$k.log" 2>/dev/null
  [[ $k == 0 ]] && cp "$tmp/r4/results.csv" "$tmp/after0.csv"
done
check "chunk 0 of 3 runs $(sed -n 's/.*, \([0-9]* run now\).*/\1/p' "$tmp/chunk0.log"), its table has the other 4 'not run'" bash -c "grep -q '2 run now' '$tmp/chunk0.log' && [[ \$(grep -c ',not run,' '$tmp/after0.csv') -eq 4 ]]"
check "after the 3 chunks: the whole sweep's table" cmp -s "$tmp/r1/results.csv" "$tmp/r4/results.csv"
rm "$tmp/r4/results.csv" "$tmp/r4/results.h5"
$havoc sweep "$tmp/s.yaml" -o "$tmp/r4" -sweep_collect >"$tmp/collect.log"
check "-sweep_collect: $(sed -n 's/.*6 cases: \(.*\); tables.*/\1/p' "$tmp/collect.log"), the same table, nothing run" bash -c "cmp -s '$tmp/r1/results.csv' '$tmp/r4/results.csv' && ! grep -q 'case [0-9] of' '$tmp/collect.log'"
check "results.h5 /id, /status and /params/hemo_cfl are the CSV's columns" bash -c "
  diff <(h5dump -d /id -y -O /dev/null '$tmp/r4/results.h5' | grep -o '\"[^\"]*\"' | tr -d '\"') <(tail -n +2 '$tmp/r4/results.csv' | cut -d, -f1) >/dev/null &&
  diff <(h5dump -d /status -y -O /dev/null '$tmp/r4/results.h5' | grep -o '\"[^\"]*\"' | tr -d '\"') <(tail -n +2 '$tmp/r4/results.csv' | cut -d, -f5) >/dev/null &&
  diff <(h5dump -d /params/hemo_cfl -y -O /dev/null '$tmp/r4/results.h5' | grep -o '\"[^\"]*\"' | tr -d '\"') <(tail -n +2 '$tmp/r4/results.csv' | cut -d, -f3) >/dev/null"
steps_h5=$(h5dump -d /columns/run.steps -y -O /dev/null "$tmp/r4/results.h5" | grep -oE '[0-9]+|nan' | tr '\n' ' ')
printf '  results.h5 /columns/run.steps: %s\n' "$steps_h5"
check "its numbers are the CSV's, NaN for the 2 failed" bash -c "[[ '$(grep ',ok,,' "$tmp/r4/results.csv" | cut -d, -f7 | tr '\n' ' ')nan nan ' == '$steps_h5' ]]"

# --slurm
$havoc sweep "$tmp/s.yaml" -o "$tmp/r5" --slurm "$tmp/job.sbatch" -sweep_slurm_chunks 3 -sweep_slurm_time 0:10:00 >"$tmp/slurm.log"
check "--slurm: an array of 3 tasks, each its chunk ($(grep -c '^#SBATCH' "$tmp/job.sbatch") #SBATCH lines)" bash -c "grep -q '^#SBATCH --array=0-2$' '$tmp/job.sbatch' && grep -q '^#SBATCH --time=0:10:00$' '$tmp/job.sbatch' && grep -q -- '-sweep_chunk \"\$SLURM_ARRAY_TASK_ID\" -sweep_chunks 3' '$tmp/job.sbatch' && [[ -x '$tmp/job.sbatch' && -d '$tmp/r5/slurm' ]]"

# a virtual population
printf 'name: pop\ncase: %s\noptions: {run_phases: steady}\npopulation:\n  seeds: 1-3\n  calibration: %s\ngrid:\n  patient_posture: [reclined, upright]\ncolumns: [run.steps]\n' "$PWD/cases/clinical/healthy-face.yaml" "$PWD/meshes/face/calibration.yaml" >"$tmp/pop.yaml"
$havoc sweep "$tmp/pop.yaml" -o "$tmp/pop" >"$tmp/pop.log" 2>"$tmp/pop.err"
sed -n 's/^\(havoc: sweep pop: 6 cases, .*\);.*/  \1/p' "$tmp/pop.log"
p=$tmp/pop/results.csv
check "population x grid: seed 1 ok in both postures, seeds 2 and 3 fail their calibration" bash -c "[[ \$(grep -c '^c[0-9a-f]*,[0-9a-f]*,1,[a-z]*,ok,' '$p') -eq 2 && \$(grep -c ',[23],[a-z]*,failed,.*did not converge' '$p') -eq 4 ]]"
check "a failed patient is made once: the second case of its seed fails at once" bash -c "[[ \$(grep -c 'the patient failed in an earlier case' '$p') -eq 2 ]]"
$havoc mesh sample --seed 1 -o "$tmp/p1.yaml" >/dev/null
check "the patient of seed 1 is havoc mesh sample --seed 1's" cmp -s "$tmp/p1.yaml" "$tmp/pop/patients/seed-1.yaml"
check "its cases ran on its calibrated network" bash -c "grep -q 'seed-1-calibrated.yaml' '$tmp/pop/cases/'\$(sed -n 2p '$p' | cut -d, -f1)/summary.json"
printf 'case: %s\npopulation: {seeds: 5-2}\n' "$case_file" >"$tmp/range.yaml"
printf 'case: %s\npopulation: {seeds: [1, x]}\n' "$case_file" >"$tmp/seedx.yaml"
printf 'case: %s\npopulation: {seeds: [1], variants: nope.yaml}\n' "$case_file" >"$tmp/novar.yaml"
printf 'case: %s\npopulation: {seeds: [1]}\ngrid: {mesh: [a.yaml]}\n' "$case_file" >"$tmp/popmesh.yaml"
expect_error "a descending seed range" "range.yaml:2: population: seeds: the range 5-2 must go up" $havoc sweep "$tmp/range.yaml"
expect_error "a seed that is not a number" "seedx.yaml:2: population: seeds: expected integers >= 0.*got 'x'" $havoc sweep "$tmp/seedx.yaml"
expect_error "a missing variant file" "novar.yaml:2: population: variants: cannot open" $havoc sweep "$tmp/novar.yaml"
expect_error "a population and a grid of networks" "popmesh.yaml:3: grid: mesh: the population sets" $havoc sweep "$tmp/popmesh.yaml"
expect_error "a chunk past the last" "sweep_chunk: 3 is not below -sweep_chunks 3" $havoc sweep "$tmp/s.yaml" -sweep_chunk 3 -sweep_chunks 3
expect_error "a Slurm time limit in the wrong format" "sweep_slurm_time: expected Slurm's" $havoc sweep "$tmp/s.yaml" --slurm "$tmp/x.sbatch" -sweep_slurm_time 10min
expect_error "more array tasks than cases" "sweep_slurm_chunks: 9 tasks for 6 cases" $havoc sweep "$tmp/s.yaml" --slurm "$tmp/x.sbatch" -sweep_slurm_chunks 9

printf 'case: %s\ngrid:\n  hemo_cfl: 0.9\n' "$case_file" >"$tmp/nolist.yaml"
printf 'case: %s\ngrids: {}\n' "$case_file" >"$tmp/key.yaml"
printf 'case: nope.yaml\n' >"$tmp/nocase.yaml"
printf 'case: %s\noptions: {-hemo_cfl: 0.5}\n' "$case_file" >"$tmp/dash.yaml"
printf 'case: [\n' >"$tmp/syntax.yaml"
printf 'case: %s\noptions: {hemo_cfl: 0.5}\ngrid: {hemo_cfl: [0.4]}\n' "$case_file" >"$tmp/twice.yaml"
expect_error "missing sweep file" "cannot open sweep file '$tmp/none.yaml'" $havoc sweep "$tmp/none.yaml"
expect_error "a directory as the sweep file" "cannot open sweep file '$tmp': not a regular file" $havoc sweep "$tmp"
expect_error "YAML syntax" "syntax.yaml:[0-9]+:" $havoc sweep "$tmp/syntax.yaml"
expect_error "unknown key" "key.yaml.*grids" $havoc sweep "$tmp/key.yaml"
expect_error "grid value not a list" "nolist.yaml:3: grid: hemo_cfl: expected a non-empty list" $havoc sweep "$tmp/nolist.yaml"
expect_error "missing base case" "nocase.yaml:1: case: cannot open" $havoc sweep "$tmp/nocase.yaml"
expect_error "option with a dash" "not an option name" $havoc sweep "$tmp/dash.yaml"
expect_error "option in two places" "hemo_cfl is also under options" $havoc sweep "$tmp/twice.yaml"
expect_error "group size not dividing" "sweep_group_size: 2 does not divide the 1 ranks|sweep_group_size.*" $havoc sweep "$tmp/s.yaml" -sweep_group_size 2
expect_error "no sweep file" "usage: havoc sweep" $havoc sweep
exit $status
