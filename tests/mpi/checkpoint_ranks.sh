#!/usr/bin/env bash
# Checkpoint and restart on 2 and 3 ranks: every rank gets SIGTERM (as from Slurm at a time limit), the run
# writes one checkpoint with each rank's part and exits with code 3; mpiexec -n N havoc run --restart
# continues it to the same result file and summary, bit for bit, as the uninterrupted run on N ranks; the
# same for SIGTERM in the tissue phase of a treated run (a checkpoint of the tissue phase).
# A restart on another rank count is refused. (One rank: tests/cli/checkpoint.sh.)
source "$(dirname "$0")/../cli/lib.bash"
source "$(dirname "$0")/../cli/checkpoint_lib.bash"
export OMPI_MCA_rmaps_base_oversubscribe=1
for n in 2 3; do
  ck_run "$tmp/A$n" $n run "$ck_case" -o out "${ck_opts[@]}"
  ck_wait "$tmp/A$n"
  ck_run "$tmp/B$n" $n run "$ck_case" -o out "${ck_opts[@]}"
  ck_wait_checkpoint "$tmp/B$n"
  ck_signal "$tmp/B$n" TERM
  ck_wait "$tmp/B$n"
  m=$tmp/B$n/out/checkpoint/manifest.json
  check "$n ranks: SIGTERM: exit code 3" test "$(cat "$tmp/B$n/rc")" = 3
  echo "  $n ranks: SIGTERM at t = $(jq -r .t_s "$m") s ($(jq -r .phase "$m") phase), $(ls "$tmp/B$n/out/checkpoint/" | grep -c '^rank-') rank files, exit $(cat "$tmp/B$n/rc")"
  check "$n ranks: uninterrupted run ok" test "$(cat "$tmp/A$n/rc")" = 0
  check "$n ranks: interrupted with a checkpoint" jqe ".reason == \"SIGTERM\" and .ranks == $n" "$m"
  if [[ $n -eq 3 ]]; then
    mpiexec -n 2 $havoc run --restart "$tmp/B3/out" >/dev/null 2>"$tmp/err"
    check "restart on 2 of 3 ranks refused" grep -q "^havoc: error: .*the run had 3 ranks, this one has 2" "$tmp/err"
  fi
  (cd "$tmp" && mpiexec -n $n "$ck_bin" run --restart "B$n/out" >"B$n/log2" 2>"B$n/err2")
  check "$n ranks: restart exit 0, nothing on stderr" test $? = 0 -a ! -s "$tmp/B$n/err2"
  check "$n ranks: restart == uninterrupted, bit for bit" ck_same "$tmp/A$n" "$tmp/B$n"
  # SIGTERM in the tissue phase of a treated run: each rank's part of the map, the enzyme and the clock
  # (checkpoints every 0.5 s of wall time: the signal comes after one of the tissue phase, part-way)
  ck_run "$tmp/RA$n" $n run "$ck_case" -o out "${ck_opts_treat[@]}" -checkpoint_interval 0.5
  ck_wait "$tmp/RA$n"
  ck_run "$tmp/R$n" $n run "$ck_case" -o out "${ck_opts_treat[@]}" -checkpoint_interval 0.5
  ck_wait_phase "$tmp/R$n" tissue
  ck_signal "$tmp/R$n" TERM
  ck_wait "$tmp/R$n"
  m=$tmp/R$n/out/checkpoint/manifest.json
  echo "  $n ranks, treatment: SIGTERM: exit $(cat "$tmp/R$n/rc"), checkpoint of the $(jq -r .phase "$m") phase at t = $(jq -r .t_s "$m") s"
  check "$n ranks, treatment: SIGTERM in the tissue phase: exit 3, its checkpoint part-way" test "$(cat "$tmp/R$n/rc")" = 3 -a "$(jq -r '.phase == "tissue" and .t_s > 0' "$m")" = true
  (cd "$tmp" && mpiexec -n $n "$ck_bin" run --restart "R$n/out" >"R$n/log2" 2>"R$n/err2")
  check "$n ranks, treatment: restart exit 0, nothing on stderr" test $? = 0 -a ! -s "$tmp/R$n/err2"
  check "$n ranks, treatment: restart == uninterrupted, bit for bit" ck_same "$tmp/RA$n" "$tmp/R$n"
done
exit $status
