#!/usr/bin/env bash
# A throw-away single-node Slurm cluster on this machine (docs/slurm.md): munged, slurmctld and slurmd
# started by hand (no systemd), everything they write kept under one state directory DIR.
#   scripts/slurm-local.sh install     installs Debian's slurm-wlm and munge if missing (as install-deps.sh)
#   scripts/slurm-local.sh start DIR   writes DIR/slurm.conf and a munge key, starts the three daemons and
#                                      waits until the node is idle; on failure prints the logs' tails,
#                                      stops what it started and exits 1
#   scripts/slurm-local.sh stop DIR    cancels the jobs, stops the daemons and waits until they are gone;
#                                      safe to call twice, or on a directory whose start failed
#   scripts/slurm-local.sh env DIR     prints the export line for the clients (SLURM_CONF)
#   scripts/slurm-local.sh status DIR  exits 0 if the cluster in DIR is up, prints sinfo
# Environment: SLURM_LOCAL_CTLD_PORT (16817), SLURM_LOCAL_SLURMD_PORT (16818), SLURM_LOCAL_TIMEOUT
# (seconds to wait for the node to be up, 60), SLURM_LOCAL_MPI (MpiDefault without "mpi/": pmix, so
# that a plain srun starts OpenMPI ranks; none). Needs root: slurmd runs jobs as their user.
set -euo pipefail

ctld_port=${SLURM_LOCAL_CTLD_PORT:-16817}
slurmd_port=${SLURM_LOCAL_SLURMD_PORT:-16818}
timeout=${SLURM_LOCAL_TIMEOUT:-60}
mpi=${SLURM_LOCAL_MPI:-pmix}
# Every daemon is started with this variable set to DIR: stop finds whatever is left of a cluster by it
# (slurmscriptd, slurmstepd, a daemon whose pid file is missing) and nothing else.
marker=HAVOC_SLURM_LOCAL_DIR

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

die() {
  echo "slurm-local: $*" >&2
  exit 1
}

# abs DIR: the absolute path of DIR (which need not exist), without symbolic links.
abs() {
  [[ -n "$1" ]] || usage
  realpath -m -- "$1"
}

cmd_install() {
  local packages=(slurm-wlm munge) missing=() p status
  for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0

  echo "slurm-local: installing ${missing[*]}"
  local sudo=() log
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "need root or sudo to install: ${missing[*]}"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp /tmp/havoc-slurm-apt.XXXXXX)
  # The package lists of a fresh machine may be empty or stale: refresh them once if an install fails.
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    if ! { "${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; } >>"$log" 2>&1; then
      tail -n 20 "$log"
      rm -f "$log"
      die "apt-get install ${missing[*]} failed"
    fi
  fi
  rm -f "$log"
  echo "slurm-local: done"
}

# port_busy PORT: something on this machine accepts connections on PORT.
port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# alive PID: the process exists and is not a zombie (PID 1 of a container may never reap them).
alive() {
  local state
  [[ -r /proc/$1/stat ]] || return 1
  state=$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# pid_of DIR NAME: the pid in DIR/run/NAME.pid if that process is alive and is NAME.
pid_of() {
  local f=$1/run/$2.pid pid comm
  [[ -s "$f" ]] || return 1
  pid=$(tr -dc 0-9 <"$f")
  [[ -n "$pid" ]] && alive "$pid" || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [[ "$comm" == "$2"* ]] || return 1
  echo "$pid"
}

# marked DIR: the pids of what is left of the cluster in DIR, and of their descendants: the processes
# started with $marker=DIR (the daemons, slurmscriptd), slurmstepd and munged working in DIR (slurmstepd
# clears its environment), and the jobs' processes (SLURM_CONF=DIR/slurm.conf and SLURM_JOB_ID set).
# Never this script or its ancestors.
marked() {
  local dir=$1 p f exe pids=() self=() table
  p=$$
  while [[ -n "$p" && "$p" != 0 ]]; do
    self+=("$p")
    p=$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null) || break
  done
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ " ${self[*]} $BASHPID " == *" $p "* ]] && continue
    alive "$p" || continue
    if grep -qzxF "$marker=$dir" "/proc/$p/environ" 2>/dev/null ||
      { grep -qzxF "SLURM_CONF=$dir/slurm.conf" "/proc/$p/environ" 2>/dev/null && grep -qz '^SLURM_JOB_ID=' "/proc/$p/environ" 2>/dev/null; }; then
      pids+=("$p")
      continue
    fi
    exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
    case ${exe##*/} in
      slurm* | munge*)
        for f in "/proc/$p/cwd" "/proc/$p"/fd/*; do
          if [[ $(readlink "$f" 2>/dev/null) == "$dir"/* ]]; then
            pids+=("$p")
            break
          fi
        done
        ;;
    esac
  done
  [[ ${#pids[@]} -eq 0 ]] && return 0
  table=$(ps -e -o pid=,ppid=)
  awk -v roots="${pids[*]}" -v self="${self[*]} $BASHPID" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) keep[r[i]] = 1; n = split(self, s, " "); for (i = 1; i <= n; i++) skip[s[i]] = 1 }
    { parent[$1] = $2 }
    END {
      do { grew = 0; for (p in parent) if (!(p in keep) && !(p in skip) && (parent[p] in keep)) { keep[p] = 1; grew = 1 } } while (grew)
      for (p in keep) print p
    }' <<<"$table"
}

# wait_gone SECONDS PID...: wait until none of the processes is alive; fails if some still are.
wait_gone() {
  local limit=$1 p left i
  shift
  for ((i = 0; i < limit * 10; i++)); do
    left=0
    for p in "$@"; do alive "$p" && left=1 && break; done
    [[ $left -eq 0 ]] && return 0
    sleep 0.1
  done
  return 1
}

# terminate SECONDS PID...: SIGTERM, then SIGKILL those left after SECONDS.
terminate() {
  local limit=$1
  shift
  [[ $# -eq 0 ]] && return 0
  kill -TERM "$@" 2>/dev/null || true
  wait_gone "$limit" "$@" && return 0
  kill -KILL "$@" 2>/dev/null || true
  wait_gone 5 "$@"
}

logs() {
  local dir=$1 f
  for f in "$dir"/log/*; do
    [[ -s "$f" ]] || continue
    echo "---- ${f#"$dir"/} (last 25 lines)"
    tail -n 25 "$f"
  done
  if [[ -s "$dir/slurm.conf" ]] && pid_of "$dir" slurmctld >/dev/null; then
    echo "---- sinfo"
    SLURM_CONF=$dir/slurm.conf sinfo -N -l 2>&1 || true
    SLURM_CONF=$dir/slurm.conf sinfo -R 2>&1 || true
  fi
}

# fail DIR MESSAGE: print the logs, stop what was started, exit 1.
fail() {
  local dir=$1
  shift
  logs "$dir"
  (cmd_stop "$dir") >/dev/null 2>&1 || true
  die "$*"
}

write_conf() {
  local dir=$1 host cpus
  host=$(hostname -s)
  cpus=$(nproc)
  cat >"$dir/slurm.conf" <<EOF
# Written by scripts/slurm-local.sh: a single-node cluster on localhost, all state under $dir.
ClusterName=havoc
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$dir/plugstack.conf
# No cgroups, no systemd: processes are tracked through their parents, tasks are not bound.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# Debian's OpenMPI started by srun needs PMIx (with none: "OMPI was not built with SLURM's PMI support");
# mpirun inside a job works either way (it reads the allocation and starts the ranks itself).
MpiDefault=$mpi
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdParameters=config_overrides
MailProg=/bin/true
# Finished jobs stay visible to squeue -t all and scontrol for 10 min (there is no accounting).
MinJobAge=600
KillWait=5
InactiveLimit=0
SlurmctldTimeout=60
SlurmdTimeout=120
MessageTimeout=20
NodeName=$host NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
  : >"$dir/plugstack.conf"
}

cmd_start() {
  local dir host i state
  dir=$(abs "${1:-}")
  [[ "$dir" != *[[:space:]]* ]] || die "the directory must not contain spaces (slurm.conf): '$dir'"
  [[ $(id -u) -eq 0 ]] || die "start needs root (slurmd runs the jobs as their users)"
  for i in munged mungekey slurmctld slurmd sinfo; do
    command -v "$i" >/dev/null || die "$i not found: run scripts/slurm-local.sh install"
  done
  mkdir -p "$dir"
  if pid_of "$dir" slurmctld >/dev/null || pid_of "$dir" slurmd >/dev/null || pid_of "$dir" munged >/dev/null; then
    die "a cluster is already running in $dir (scripts/slurm-local.sh stop $dir)"
  fi
  for i in "$ctld_port" "$slurmd_port"; do
    if port_busy "$i"; then
      echo "slurm-local: port $i is in use:" >&2
      ss -ltnp "sport = :$i" 2>/dev/null | tail -n +2 >&2 || true
      die "a cluster of a previous run may still be up (scripts/slurm-local.sh stop ITS_DIR), or set SLURM_LOCAL_CTLD_PORT and SLURM_LOCAL_SLURMD_PORT"
    fi
  done
  host=$(hostname -s)
  # munged wants every directory above its socket searchable by all, and its key private.
  chmod 755 "$dir"
  mkdir -p "$dir"/{munge,state,spool/"$host",run,log}
  chmod 700 "$dir"/{state,spool,run}
  chmod 755 "$dir"/munge "$dir"/log
  write_conf "$dir"
  export SLURM_CONF=$dir/slurm.conf
  if [[ ! -s "$dir/munge/munge.key" ]]; then
    mungekey --create --keyfile="$dir/munge/munge.key" >"$dir/log/mungekey.out" 2>&1 || fail "$dir" "mungekey failed"
  fi
  chmod 600 "$dir/munge/munge.key"

  # --force: munged refuses a socket in a directory below one that not everybody can search (/root);
  # it then only warns. The jobs run as root here, and root can reach the socket anyway.
  env "$marker=$dir" munged --force --socket="$dir/munge/munge.sock" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    >"$dir/log/munged.out" 2>&1 </dev/null || fail "$dir" "munged did not start"
  for ((i = 0; i < 100; i++)); do
    munge -n --socket="$dir/munge/munge.sock" 2>/dev/null | unmunge --socket="$dir/munge/munge.sock" >/dev/null 2>&1 && break
    sleep 0.1
  done
  [[ $i -lt 100 ]] || fail "$dir" "munged does not answer on $dir/munge/munge.sock"

  # -c: a fresh start, without the jobs of a previous run in the same DIR.
  env "$marker=$dir" slurmctld -c -f "$SLURM_CONF" >"$dir/log/slurmctld.out" 2>&1 </dev/null || fail "$dir" "slurmctld did not start"
  for ((i = 0; i < timeout * 2; i++)); do
    scontrol ping 2>/dev/null | grep -q 'is UP' && break
    pid_of "$dir" slurmctld >/dev/null || [[ $i -lt 10 ]] || fail "$dir" "slurmctld died"
    sleep 0.5
  done
  [[ $i -lt $((timeout * 2)) ]] || fail "$dir" "slurmctld does not answer on port $ctld_port after $timeout s"

  env "$marker=$dir" slurmd -f "$SLURM_CONF" >"$dir/log/slurmd.out" 2>&1 </dev/null || fail "$dir" "slurmd did not start"
  for ((i = 0; i < timeout * 2; i++)); do
    state=$(sinfo -h -N -n "$host" -o %t 2>/dev/null || true)
    [[ "$state" == idle || "$state" == mix || "$state" == alloc ]] && break
    [[ "$state" == drain* || "$state" == down* ]] && [[ $i -gt 20 ]] && fail "$dir" "node $host is $state"
    pid_of "$dir" slurmd >/dev/null || [[ $i -lt 10 ]] || fail "$dir" "slurmd died"
    sleep 0.5
  done
  [[ "$state" == idle || "$state" == mix || "$state" == alloc ]] || fail "$dir" "node $host is not up after $timeout s (state: ${state:-none})"
  echo "slurm-local: up in $dir: node $host, $(nproc) CPUs, partition debug, ports $ctld_port and $slurmd_port; export SLURM_CONF=$SLURM_CONF"
}

cmd_stop() {
  local dir pids=() name pid ok=0 i
  dir=$(abs "${1:-}")
  [[ -d "$dir" ]] || return 0
  # Cancel the jobs first, so that slurmd and its slurmstepd end them rather than leave them orphaned.
  if [[ -s "$dir/slurm.conf" ]] && pid_of "$dir" slurmd >/dev/null; then
    export SLURM_CONF=$dir/slurm.conf
    if timeout 10 scontrol ping 2>/dev/null | grep -q 'is UP' && [[ -n $(timeout 10 squeue -h -o %i 2>/dev/null) ]]; then
      timeout 10 scancel --quiet --user="$(id -un)" >/dev/null 2>&1 || true
      for ((i = 0; i < 100; i++)); do
        [[ -z $(timeout 10 squeue -h -o %i 2>/dev/null) ]] && break
        sleep 0.2
      done
    fi
  fi
  for name in slurmd slurmctld munged; do
    if pid=$(pid_of "$dir" "$name"); then
      terminate 20 "$pid" || ok=1
    fi
    rm -f "$dir/run/$name.pid"
  done
  # Whatever is left: slurmstepd and the jobs under it, slurmscriptd, a daemon without a pid file.
  mapfile -t pids < <(marked "$dir")
  if [[ ${#pids[@]} -gt 0 ]]; then
    terminate 10 "${pids[@]}" || ok=1
  fi
  [[ $ok -eq 0 ]] || die "some processes of the cluster in $dir would not die: $(marked "$dir" | tr '\n' ' ')"
}

cmd_env() {
  local dir
  dir=$(abs "${1:-}")
  printf 'export SLURM_CONF=%q\n' "$dir/slurm.conf"
}

cmd_status() {
  local dir
  dir=$(abs "${1:-}")
  pid_of "$dir" munged >/dev/null && pid_of "$dir" slurmctld >/dev/null && pid_of "$dir" slurmd >/dev/null || return 1
  SLURM_CONF=$dir/slurm.conf sinfo -N
}

case ${1:-} in
  install) cmd_install ;;
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  env) cmd_env "${2:-}" ;;
  status) cmd_status "${2:-}" ;;
  *) usage ;;
esac
