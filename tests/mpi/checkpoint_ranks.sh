#!/usr/bin/env bash
# Checkpoint and restart on 2 and 3 ranks: every rank gets SIGTERM (as from Slurm at a time limit), the run
# writes one checkpoint with each rank's part and exits with code 3; mpiexec -n N havoc run --restart
# continues it to the same result file and summary, bit for bit, as the uninterrupted run on N ranks; the
# same for SIGTERM in the tissue phase of a treated run (a checkpoint of the tissue phase) and, on 2
# ranks, in the damage clock of a day of tissue alone (a checkpoint part-way through its solve).
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
# the damage clock alone on 2 ranks: SIGTERM after the checkpoint of the end of the flow phases stops it
# at its next pause, part-way through a solve; the restart continues that solve
ck_run "$tmp/TA" 2 run "$ck_case" -o out "${ck_opts_day[@]}"
ck_wait "$tmp/TA"
ck_run "$tmp/T" 2 run "$ck_case" -o out "${ck_opts_day[@]}"
ck_wait_phase "$tmp/T" chronic
ck_signal "$tmp/T" TERM
ck_wait "$tmp/T"
m=$tmp/T/out/checkpoint/manifest.json
echo "  2 ranks, tissue alone: SIGTERM: exit $(cat "$tmp/T/rc"), checkpoint: $(jq -r '"\(.phase) phase, step \(.step), t = \(.t_s) s"' "$m")"
check "2 ranks, tissue alone: uninterrupted run ok" test "$(cat "$tmp/TA/rc")" = 0
check "2 ranks, tissue alone: exit 3, a checkpoint part-way through a solve" test "$(cat "$tmp/T/rc")" = 3 -a "$(jq -r '.phase == "tissue" and .ranks == 2 and .step % 16 == 0 and .t_s > 0' "$m")" = true
(cd "$tmp" && mpiexec -n 2 "$ck_bin" run --restart T/out >T/log2 2>T/err2)
check "2 ranks, tissue alone: restart exit 0, nothing on stderr" test $? = 0 -a ! -s "$tmp/T/err2"
check "2 ranks, tissue alone: restart == uninterrupted, bit for bit" ck_same "$tmp/TA" "$tmp/T"
exit $status
