# Helpers for the checkpoint tests (sourced after lib.bash or tests/mpi/lib.bash).
#   ck_case: a short run of the glabella bolus case (pulsatile, acute, steady, 1 h of tissue, fields) with
#     the options ck_opts: ck_opts_base and a checkpoint every second of wall time
#   ck_run DIR N ARGS...: havoc run on N ranks, in DIR (the output is DIR/out), in the background; its
#     exit code goes to DIR/rc when it ends
#   ck_wait_checkpoint DIR: until DIR/out/checkpoint exists (at most 120 s)
#   ck_wait_phase DIR PHASE: until it is one of PHASE (chronic: the end of the flow phases; tissue)
#   ck_signal DIR SIG: sends SIG to every rank of the run in DIR (what Slurm does at a time limit)
#   ck_same A B: the two runs' result files hold the same values bit for bit (h5diff, no tolerance), and
#     their summaries differ only in the wall times and the date
#   ck_same_data A B [DATASET...]: the same for 9 datasets of every phase and the ones given (for runs
#     whose options differ: a sweep's case, a run without -checkpoint_interval), each that differs named
#     on stdout
ck_case=$PWD/cases/clinical/glabella-retrograde.yaml
ck_opts_base=(-quiet -hemo_cycles 8 -bolus_acute_time 3 -tissue_t_end 1h -output_field_dt 0.5 -petscpartitioner_type simple)
ck_opts=("${ck_opts_base[@]}" -checkpoint_interval 1)
# a day of tissue (about 4 s of its damage clock), and with a treatment (about 13 s): long enough for a
# signal to land in the tissue phase
ck_opts_day=("${ck_opts_base[@]}" -tissue_t_end 24h)
ck_opts_treat=("${ck_opts_base[@]}" -tissue_t_end 24h -enzyme_units 500)
ck_bin=$PWD/${BIN:-bin}/havoc

ck_run() {
  local dir=$1 n=$2
  shift 2
  mkdir -p "$dir"
  (cd "$dir" && if [[ $n -eq 1 ]]; then "$ck_bin" "$@"; else mpiexec -n "$n" "$ck_bin" "$@"; fi >log 2>err; echo $? >rc) &
}

ck_wait_checkpoint() {
  for _ in $(seq 1200); do
    [[ -e "$1/out/checkpoint/manifest.json" ]] && return 0
    [[ -e "$1/rc" ]] && return 1
    sleep 0.1
  done
  return 1
}

# until DIR/out/checkpoint is one of PHASE (chronic: the end of the flow phases; tissue), or the run
# ended (at most 120 s)
ck_wait_phase() {
  for _ in $(seq 1200); do
    [[ "$(jq -r .phase "$1/out/checkpoint/manifest.json" 2>/dev/null)" == "$2" || -e "$1/rc" ]] && return 0
    sleep 0.1
  done
  return 1
}

ck_signal() {
  pkill "-$2" -f "^$ck_bin run .*-o out" || true
}

ck_wait() {
  for _ in $(seq 3000); do
    [[ -e "$1/rc" ]] && return 0
    sleep 0.1
  done
  return 1
}

ck_same() {
  h5diff "$1/out/result.h5" "$2/out/result.h5" >/dev/null && diff <(jq -S 'del(.created, .wall_time_s, .steady.wall_time_s)' "$1/out/summary.json") <(jq -S 'del(.created, .wall_time_s, .steady.wall_time_s)' "$2/out/summary.json") >/dev/null
}

ck_same_data() {
  local a=$1/out/result.h5 b=$2/result.h5 d ok=0
  [[ -e "$b" ]] || b=$2/out/result.h5
  shift 2
  for d in /probes/p /probes/q /fields/Q /fields/gel /bolus/trajectory_xb /bolus/bed_volume /steady/flow /tissue/dead /tissue/po2 "$@"; do
    h5diff "$a" "$b" $d >/dev/null || { echo "  $d differs"; ok=1; }
  done
  return $ok
}
