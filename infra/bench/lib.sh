# Shared by the bench scripts (sourced from the repository root).

# A port nothing answers on (bash's /dev/tcp connect fails): good enough for a bench run.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# A name for this run's broker objects, unique enough to never meet another run's.
run_id=bench-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')

# A throwaway secret for this run (the gateway refuses to start without its secrets).
secret() {
  head -c 24 /dev/urandom | base64 | tr '+/' '-_'
}
