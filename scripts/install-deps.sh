#!/usr/bin/env bash
# Installs the Debian packages havoc needs, only those that are missing. Idempotent: on a machine that
# has everything it does nothing and says nothing.
set -euo pipefail

packages=(
  make gcc pkg-config          # build
  petsc-dev                    # PETSc 3.18 with OpenMPI and parallel HDF5
  libhdf5-openmpi-dev hdf5-tools
  openmpi-bin libopenmpi-dev
  libyaml-dev                  # network and case files
  libjansson-dev               # summary.json
  libcairo2-dev                # pictures (havoc render, havoc report)
  check                        # unit tests
  valgrind                     # the unit tests under memcheck (tests/cli/valgrind.sh)
  jq                           # summary.json in make demo and the command-line tests
  libxml2-utils                # xmllint: the XDMF test
  clang-format                 # make format
  clang libclang-rt-14-dev     # make fuzz: libFuzzer and the sanitizers (tests/cli/fuzz.sh)
  chromium                     # report test (headless browser)
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh machine may be empty or stale: refresh them once if an install fails.
if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>/tmp/havoc-apt.log; then
  "${sudo[@]}" apt-get update -q >/dev/null
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: done"
