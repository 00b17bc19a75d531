# Helpers for a test that runs jobs on a throw-away single-node Slurm cluster (sourced, after lib.bash):
# scripts/slurm-local.sh does the work (docs/slurm.md). Nothing goes to stderr: apt's and the daemons'
# chatter is kept in files under the cluster's directory and printed, to stdout, only on failure.
#   slurm_up               installs slurm-wlm and munge if missing, starts munged, slurmctld and slurmd in a
#                          new directory $slurm_dir, exports SLURM_CONF, and stops the cluster at exit (the
#                          EXIT trap already set, lib.bash's, still runs after it); returns 1 on failure
#   slurm_wait JOBID [S]   waits (S seconds, 300 by default) until the job, and every task of an array job,
#                          has left the queue; returns 1 with the queue and the logs on timeout
#   slurm_states JOBID     one line per job or array task, sorted: "TASK STATE EXITCODE" ("3 COMPLETED 0:0";
#                          TASK is the array index, or the job id); finished jobs are remembered 10 min
#   slurm_logs             the tails of the daemons' logs and the node's state, to stdout
#   slurm_down             cancels the jobs, stops the daemons, removes $slurm_dir (kept if
#                          SLURM_LOCAL_KEEP=1); returns 1 with the logs if some process would not die
# Ports: 16817 and 16818 unless SLURM_LOCAL_CTLD_PORT and SLURM_LOCAL_SLURMD_PORT are set; if busy, the
# next free pair of 16819..16837.
slurm_local=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/slurm-local.sh
slurm_dir=""

_slurm_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

slurm_logs() {
  [[ -n "$slurm_dir" && -d "$slurm_dir" ]] || return 0
  local f
  for f in "$slurm_dir/up.log" "$slurm_dir"/log/*; do
    [[ -s "$f" ]] || continue
    echo "  ---- $f (last 25 lines)"
    tail -n 25 "$f" | sed 's/^/  | /'
  done
  if [[ -s "$slurm_dir/slurm.conf" ]]; then
    echo "  ---- sinfo"
    SLURM_CONF=$slurm_dir/slurm.conf timeout 10 sinfo -N -l 2>&1 | sed 's/^/  | /'
    SLURM_CONF=$slurm_dir/slurm.conf timeout 10 squeue -t all 2>&1 | sed 's/^/  | /'
  fi
}

slurm_up() {
  local prev cmd p
  if [[ -n "$slurm_dir" ]]; then
    echo "  slurm_up: a cluster is already up in $slurm_dir"
    return 1
  fi
  slurm_dir=$(mktemp -d /tmp/havoc-slurm.XXXXXX)
  if ! "$slurm_local" install >"$slurm_dir/up.log" 2>&1; then
    echo "  slurm_up: could not install slurm-wlm and munge"
    slurm_logs
    rm -rf "$slurm_dir"
    slurm_dir=""
    return 1
  fi
  if [[ -z "${SLURM_LOCAL_CTLD_PORT:-}" && -z "${SLURM_LOCAL_SLURMD_PORT:-}" ]]; then
    for ((p = 16817; p < 16839; p += 2)); do
      _slurm_port_free "$p" && _slurm_port_free $((p + 1)) && break
    done
    export SLURM_LOCAL_CTLD_PORT=$p SLURM_LOCAL_SLURMD_PORT=$((p + 1))
  fi
  # Stop the cluster at exit, before what was already registered (lib.bash removes $tmp).
  prev=$(trap -p EXIT)
  prev=${prev#trap -- }
  prev=${prev% EXIT}
  eval "prev=${prev:-''}"
  cmd='_slurm_rc=0; slurm_down || _slurm_rc=1'
  if [[ -n "$prev" ]]; then cmd+=$'\n'$prev; fi
  # shellcheck disable=SC2016 # expanded when the trap runs
  cmd+=$'\n''[[ $_slurm_rc -eq 0 ]] || exit 1'
  # shellcheck disable=SC2064 # $cmd is complete now
  trap "$cmd" EXIT
  if ! "$slurm_local" start "$slurm_dir" >>"$slurm_dir/up.log" 2>&1; then
    echo "  slurm_up: the cluster did not start"
    slurm_logs
    return 1
  fi
  export SLURM_CONF=$slurm_dir/slurm.conf
}

slurm_wait() {
  local id=$1 limit=${2:-300} t0=$SECONDS out
  while :; do
    if out=$(squeue -h -j "$id" -o %i 2>&1); then
      [[ -z "$out" ]] && return 0
    elif [[ "$out" == *"Invalid job id"* ]]; then
      return 0 # purged: long gone
    else
      echo "  slurm_wait: squeue failed: $out"
      slurm_logs
      return 1
    fi
    if ((SECONDS - t0 >= limit)); then
      echo "  slurm_wait: job $id still in the queue after $limit s"
      slurm_logs
      return 1
    fi
    sleep 0.5
  done
}

slurm_states() {
  scontrol -o show job "$1" 2>&1 | awk '{
    task = ""; state = ""; code = ""
    for (i = 1; i <= NF; i++) {
      split($i, kv, "=")
      if (kv[1] == "JobId" && task == "") task = kv[2]
      else if (kv[1] == "ArrayTaskId") task = kv[2]
      else if (kv[1] == "JobState") state = kv[2]
      else if (kv[1] == "ExitCode") code = kv[2]
    }
    if (state != "") print task, state, code
  }' | sort -n
}

slurm_down() {
  [[ -n "$slurm_dir" ]] || return 0
  if ! "$slurm_local" stop "$slurm_dir" >>"$slurm_dir/up.log" 2>&1; then
    echo "  slurm_down: some processes of the cluster in $slurm_dir would not die"
    slurm_logs
    return 1
  fi
  [[ "${SLURM_LOCAL_KEEP:-0}" == 1 ]] || rm -rf "$slurm_dir"
  slurm_dir=""
  unset SLURM_CONF
}
