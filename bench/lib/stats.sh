# Sourced by the start-up benchmarks (bench/startup-bench.sh, startup-ab.sh, startup-floor.sh).
# median: the median of the numbers on stdin, one a line. ratio A B: A / B.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print a / b}'; }
