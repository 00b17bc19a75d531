#!/usr/bin/env bash
# Checkpoint and restart on one rank (docs/checkpoint.md): a run stopped by SIGTERM in the pulsatile phase
# exits with code 3 after writing its checkpoint, and havoc run --restart continues it to the same result
# file and summary, bit for bit, as the uninterrupted run; a run killed outright (SIGKILL) after its
# checkpoint at the end of the flow phases continues from there; one stopped by SIGTERM in the tissue
# phase (alone, or with a treatment) continues from a checkpoint of the tissue phase; and every misuse of
# --restart gets one clear error. The rank counts 2 and 3 are in tests/mpi/checkpoint_ranks.sh; the checkpoint of a
# numerical fault in tests/cli/run_errors.sh.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/checkpoint_lib.bash"

# the reference, uninterrupted (same options, so that the result files' attributes agree too)
ck_run "$tmp/A" 1 run "$ck_case" -o out "${ck_opts[@]}"
ck_wait "$tmp/A"
check "uninterrupted run: exit 0" test "$(cat "$tmp/A/rc")" = 0
check "a successful run leaves no checkpoint" test ! -e "$tmp/A/out/checkpoint"

# SIGTERM in the pulsatile phase
ck_run "$tmp/B" 1 run "$ck_case" -o out "${ck_opts[@]}"
ck_wait_checkpoint "$tmp/B"
ck_signal "$tmp/B" TERM
ck_wait "$tmp/B"
phase=$(jq -r .phase "$tmp/B/out/checkpoint/manifest.json")
reason=$(jq -r .reason "$tmp/B/out/checkpoint/manifest.json")
echo "  SIGTERM: exit $(cat "$tmp/B/rc"), checkpoint at t = $(jq -r .t_s "$tmp/B/out/checkpoint/manifest.json") s, step $(jq -r .step "$tmp/B/out/checkpoint/manifest.json"), $phase phase ($reason)"
check "SIGTERM: exit code 3" test "$(cat "$tmp/B/rc")" = 3
check "SIGTERM: one line on stderr naming the restart" grep -Eq "^havoc: .*interrupted by SIGTERM .*havoc run --restart" "$tmp/B/err"
check "SIGTERM: checkpoint written for it" test "$reason" = SIGTERM
check "SIGTERM: no half-written result" test ! -e "$tmp/B/out/result.h5"
(cd "$tmp" && "$ck_bin" run --restart B/out -malloc_dump >"$tmp/B/log2" 2>"$tmp/B/err2")
rc=$?
check "restart: exit 0, nothing on stderr" test "$rc" = 0 -a ! -s "$tmp/B/err2"
check "restart: says where it continues from" grep -q "continuing from the checkpoint at t = " "$tmp/B/log2"
check "restart == uninterrupted, bit for bit (h5diff, summary.json)" ck_same "$tmp/A" "$tmp/B"
check "restart: checkpoint removed when done" test ! -e "$tmp/B/out/checkpoint"
check "restart: no leak (-malloc_dump)" test -z "$(grep -E "$leak" "$tmp/B/log2")"

# SIGKILL after the checkpoint at the end of the flow phases: the chronic phases run again from it
ck_run "$tmp/C" 1 run "$ck_case" -o out "${ck_opts[@]}"
ck_wait_phase "$tmp/C" chronic
ck_signal "$tmp/C" KILL
ck_wait "$tmp/C"
echo "  SIGKILL: exit $(cat "$tmp/C/rc"); last checkpoint: $(jq -r '"\(.phase) phase at t = \(.t_s) s (\(.reason))"' "$tmp/C/out/checkpoint/manifest.json")"
check "SIGKILL: the checkpoint of the flow phases is there" test "$(jq -r .phase "$tmp/C/out/checkpoint/manifest.json")" = chronic
(cd "$tmp/C" && "$ck_bin" run --restart out >log2 2>err2)
check "restart after SIGKILL == uninterrupted, bit for bit" ck_same "$tmp/A" "$tmp/C"

# SIGTERM in the tissue phase (a day of it, the tissue alone), without -checkpoint_interval: the damage
# clock stops at its next pause (every 16 steps, part-way through its solve), writes a checkpoint of the
# tissue phase (the one of the end of the flow phases, extended with the tissue's state) and the restart
# continues the clock from there
ck_run "$tmp/TA" 1 run "$ck_case" -o out "${ck_opts_day[@]}"
ck_wait "$tmp/TA"
ck_run "$tmp/T" 1 run "$ck_case" -o out "${ck_opts_day[@]}"
ck_wait_phase "$tmp/T" chronic
ck_signal "$tmp/T" TERM
ck_wait "$tmp/T"
m=$tmp/T/out/checkpoint/manifest.json
echo "  SIGTERM in the tissue phase: exit $(cat "$tmp/T/rc"), checkpoint: $(jq -r '"\(.phase) phase, step \(.step), t = \(.t_s) s (\(.reason))"' "$m"): $(cut -c1-150 "$tmp/T/err")"
check "tissue phase: uninterrupted run ok" test "$(cat "$tmp/TA/rc")" = 0
check "tissue phase: SIGTERM: exit code 3" test "$(cat "$tmp/T/rc")" = 3
check "tissue phase: one line naming the restart" test "$(grep -c 'interrupted by SIGTERM in the tissue phase at .* h of its 24 h; continue with: havoc run --restart out' "$tmp/T/err")" = 1 -a "$(wc -l <"$tmp/T/err")" = 1
check "tissue phase: a checkpoint of the tissue phase, part-way through a solve" jqe '.phase == "tissue" and .reason == "SIGTERM" and .step % 16 == 0 and .t_s > 0 and .t_s < 86400' "$m"
check "tissue phase: it keeps the result file of the end of the flow phases" test -s "$tmp/T/out/checkpoint/result.h5"
check "tissue phase: no half-written result" test ! -e "$tmp/T/out/result.h5"
(cd "$tmp/T" && "$ck_bin" run --restart out -malloc_dump >log2 2>err2)
check "restart in the tissue phase: exit 0, nothing on stderr" test $? = 0 -a ! -s "$tmp/T/err2"
check "restart in the tissue phase: says where it continues" grep -q "continuing from the checkpoint of the tissue phase at " "$tmp/T/log2"
check "restart in the tissue phase: no leak (-malloc_dump)" test -z "$(grep -E "$leak" "$tmp/T/log2")"
check "restart in the tissue phase == uninterrupted, bit for bit (h5diff, summary.json)" ck_same "$tmp/TA" "$tmp/T"

# the same with a treatment (500 U, a day): the treatment pauses between its steps; checkpoints every
# 0.5 s of wall time through every phase, then SIGTERM once one of the tissue phase is there; the state
# of the treatment, the enzyme on the map, the gel and the network continue from it
ck_run "$tmp/RA" 1 run "$ck_case" -o out "${ck_opts_treat[@]}"
ck_wait "$tmp/RA"
ck_run "$tmp/R" 1 run "$ck_case" -o out "${ck_opts_treat[@]}" -checkpoint_interval 0.5
ck_wait_phase "$tmp/R" tissue
ck_signal "$tmp/R" TERM
ck_wait "$tmp/R"
m=$tmp/R/out/checkpoint/manifest.json
echo "  treatment: SIGTERM: exit $(cat "$tmp/R/rc"), checkpoint: $(jq -r '"\(.phase) phase, step \(.step), t = \(.t_s) s (\(.reason))"' "$m"); $(grep -c 'of the tissue phase' "$tmp/R/log") checkpoints in the tissue phase"
check "treatment: uninterrupted run ok" test "$(cat "$tmp/RA/rc")" = 0
check "treatment: SIGTERM: exit code 3, one line" test "$(cat "$tmp/R/rc")" = 3 -a "$(grep -c 'interrupted by SIGTERM in the tissue phase' "$tmp/R/err")" = 1
check "treatment: the checkpoint is of the tissue phase" jqe '.phase == "tissue" and .reason == "SIGTERM" and .t_s > 0 and .t_s < 86400' "$m"
(cd "$tmp/R" && "$ck_bin" run --restart out -malloc_dump >log2 2>err2)
check "treatment: restart exit 0, nothing on stderr" test $? = 0 -a ! -s "$tmp/R/err2"
check "treatment: restart no leak (-malloc_dump)" test -z "$(grep -E "$leak" "$tmp/R/log2")"
check "treatment: restart == uninterrupted, bit for bit (13 datasets)" ck_same_data "$tmp/RA" "$tmp/R" /treatment/ha_fraction /treatment/enzyme_map /treatment/flow /tissue/toxic
check "treatment: the same treatment in summary.json" diff <(jq -S .treatment "$tmp/RA/out/summary.json") <(jq -S .treatment "$tmp/R/out/summary.json")

# a sweep stopped by SIGTERM: its running case is recorded as interrupted, the sweep exits with code 3,
# and the same command continues that case from its checkpoint
printf 'name: ck\ncase: %s\noptions:\n  hemo_cycles: 8\n  bolus_acute_time: 3 s\n  tissue_t_end: 1 h\n  output_field_dt: 0.5 s\n  checkpoint_interval: 1 s\ngrid:\n  bolus_volume: [0.1 mL]\n' "$ck_case" >"$tmp/s.yaml"
mkdir -p "$tmp/S"
(cd "$tmp/S" && "$ck_bin" sweep ../s.yaml -o out >log 2>err; echo $? >rc) &
for _ in $(seq 1200); do
  compgen -G "$tmp/S/out/cases/*/checkpoint/manifest.json" >/dev/null && break
  sleep 0.1
done
pkill -TERM -f "^$ck_bin sweep" || true
ck_wait "$tmp/S"
sid=$(basename "$(ls -d "$tmp/S/out/cases/"*)")
echo "  sweep: SIGTERM: exit $(cat "$tmp/S/rc"), case $sid $(jq -r .status "$tmp/S/out/cases/$sid/status.json")"
check "sweep: SIGTERM: exit code 3" test "$(cat "$tmp/S/rc")" = 3
check "sweep: the case is recorded as interrupted" jqe '.status == "interrupted"' "$tmp/S/out/cases/$sid/status.json"
(cd "$tmp/S" && "$ck_bin" sweep ../s.yaml -o out >log2 2>err2)
check "sweep again: exit 0, nothing on stderr" test $? = 0 -a ! -s "$tmp/S/err2"
check "sweep again: the case continued from its checkpoint" grep -q "continuing from the checkpoint" "$tmp/S/log2"
check "sweep again: the case is ok in the table" grep -q "$sid.*,ok," "$tmp/S/out/results.csv"
check "sweep's continued case == uninterrupted run (9 datasets)" ck_same_data "$tmp/A" "$tmp/S/out/cases/$sid"

# misuse
expect_error "restart: no checkpoint" "no checkpoint there" $havoc run --restart "$tmp/A/out"
expect_error "restart: no such directory" "no such directory" $havoc run --restart "$tmp/none"
expect_error "restart: with a case file" "takes no case file" $havoc run "$ck_case" --restart "$tmp/B/out"
expect_error "restart: an option changed" "cannot be changed on a restart" $havoc run --restart "$tmp/B/out" -hemo_cfl 0.5
mkdir -p "$tmp/D/out/checkpoint-1" && cp "$tmp/B/log" "$tmp/D/out/checkpoint-1/manifest.json" && ln -s checkpoint-1 "$tmp/D/out/checkpoint"
expect_error "restart: a broken manifest" "no checkpoint there|not a valid checkpoint" $havoc run --restart "$tmp/D/out"
expect_error "negative -checkpoint_interval" "checkpoint_interval" $havoc run "$ck_case" -o "$tmp/E" -checkpoint_interval -1s
exit $status
