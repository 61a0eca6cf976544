# Reference values for tests/cascade/square_root_impact.cpp and depth_profile_impact.cpp:
# volume-weighted fill prices as numerical integrals of the price curve, with R's integrate()
# (QUADPACK), independent of the closed forms in the headers.
# Run: Rscript tests/reference/cascade_impact.R > tests/reference/cascade_impact.out
options(digits = 17)
cat("R", R.version$major, ".", R.version$minor, "\n", sep = "")

avg <- function(price, from, to, breaks = numeric(0)) {
  pts <- sort(unique(c(from, to, breaks[breaks > min(from, to) & breaks < max(from, to)])))
  total <- 0
  for (i in seq_len(length(pts) - 1))
    total <- total + integrate(price, pts[i], pts[i + 1], rel.tol = 1e-13, abs.tol = 0)$value
  total / (max(from, to) - min(from, to))
}

# Square-root impact: price(q) = S exp(sign(q) a sqrt|q|), a = Y sigma / sqrt(V).
sqrt_cases <- list(
  c(1.0, 0.5, 100, 0, -400), c(1.0, 0.5, 100, -100, -900), c(1.0, 0.5, 100, 50, -50),
  c(1.0, 0.5, 100, 0, 400), c(0.8, 0.05, 1e4, 0, -5e4), c(0.8, 0.05, 1e4, -1e4, -2e4))
for (k in sqrt_cases) {
  a <- k[1] * k[2] / sqrt(k[3])
  f <- function(q) 100 * exp(sign(q) * a * sqrt(abs(q)))
  cat(sprintf("sqrt Y=%g sigma=%g V=%g from=%g to=%g price_to=%.17g average=%.17g\n",
              k[1], k[2], k[3], k[4], k[5], f(k[5]), avg(f, k[4], k[5], 0)))
}

# Depth profile: bands (distance, quantity) = (0.01, 100), (0.03, 300), (0.1, 1000), S = 100.
edge <- approxfun(c(0, 100, 400, 1400), c(0, 0.01, 0.03, 0.1))
g <- function(q) ifelse(q < 0, 100 * (1 - edge(-q)), 100 * (1 + edge(q)))
depth_cases <- list(c(0, -250), c(0, 1300), c(-50, 120), c(-1400, -10), c(-399, -401))
for (k in depth_cases)
  cat(sprintf("depth from=%g to=%g price_to=%.17g average=%.17g\n",
              k[1], k[2], g(k[2]), avg(g, k[1], k[2], c(-400, -100, 0, 100, 400))))
