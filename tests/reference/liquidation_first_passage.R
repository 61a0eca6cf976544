# Independent reference for tests/liquidation/liquidation_probability.cpp.
# Probability that GBM dS = mu S dt + sigma S dW started at S0 touches L within T:
# X = log(S/S0) = nu t + sigma W, nu = mu - sigma^2/2, barrier b = log(L/S0) != 0.
# The first-passage time of X to b has the (inverse-Gaussian, possibly defective) density
#   g(t) = |b| / (sigma sqrt(2 pi t^3)) exp(-(b - nu t)^2 / (2 sigma^2 t))
# (Karatzas & Shreve, Brownian Motion and Stochastic Calculus, 3.5.12; Borodin & Salminen 2.0.2),
# so P = integral_0^T g(t) dt, computed here by adaptive quadrature (R's integrate, QUADPACK QAGS):
# no closed form of ours is used. Column 'closed' is the closed form evaluated with R's own
# log-CDF (pnorm(log.p = TRUE)), printed as a second check of the quadrature.
# Run: Rscript liquidation_first_passage.R   (R version 4.2.2 Patched (2022-11-10 r83330))
fp <- function(S0, L, sigma, T, mu) {
  nu <- mu - sigma^2 / 2
  b <- log(L / S0)
  g <- function(t) abs(b) / (sigma * sqrt(2 * pi * t^3)) * exp(-(b - nu * t)^2 / (2 * sigma^2 * t))
  q <- integrate(g, 0, T, rel.tol = 1e-13, abs.tol = 0, subdivisions = 10000L)$value
  a <- abs(b); m <- sign(b) * nu; s <- sigma * sqrt(T)
  closed <- pnorm((-a + m * T) / s) + exp(2 * m * a / sigma^2 + pnorm((-a - m * T) / s, log.p = TRUE))
  c(quadrature = q, closed = closed)
}
cases <- list(
  c(100, 80, 0.8, 0.25, 0.0),
  c(100, 80, 0.8, 0.25, 0.5),
  c(100, 120, 0.6, 1 / 12, -0.3),
  c(30000, 25000, 0.9, 7 / 365, 0.1),
  c(100, 50, 0.3, 1, -2),
  c(100, 200, 0.5, 2, 3),
  c(100, 100 * exp(-0.5), 0.01, 1, -0.5 + 0.01^2 / 2)
)
options(digits = 17)
for (x in cases) {
  r <- fp(x[1], x[2], x[3], x[4], x[5])
  cat(sprintf("S0=%.17g L=%.17g sigma=%.17g T=%.17g mu=%.17g quadrature=%.17g closed=%.17g\n",
              x[1], x[2], x[3], x[4], x[5], r[1], r[2]))
}
