# Reference values for tests/risk/portfolio_var.cpp.
# Run: Rscript tests/reference/risk_portfolio.R > tests/reference/risk_portfolio.out
# Historical: scenario matrix S (500 x 3, per-unit P&L) from integer arithmetic (bit-identical in C++):
#   S[s,1] = ((s*7919) %% 1009 - 504)/1000, S[s,2] = ((s*104729) %% 2003 - 1001)/2000,
#   S[s,3] = ((s*15485863) %% 997 - 498)^3/1e9,  s = 0..499;  positions w = (3, -2, 5).
# Loss = -(S w). Type-1 VaR scenario s* (ties: lower index first, R's stable order()); Euler
# components w_i * (-S[s*, i]); ES components with Acerbi-Tasche weights on the top floor(n(1-a))+1.
# Gaussian: L = -w'X, X ~ N(mu, Sigma): VaR = -w'mu + z sp, ES = -w'mu + dnorm(z)/(1-a) sp,
#   marginals -mu + z (Sigma w)/sp and -mu + dnorm(z)/(1-a) (Sigma w)/sp (Jorion 2007, ch. 7).
options(digits = 17)
cat(R.version.string, "\n")
s <- 0:499
S <- cbind(((s * 7919) %% 1009 - 504) / 1000, ((s * 104729) %% 2003 - 1001) / 2000,
           ((s * 15485863) %% 997 - 498)^3 / 1e9)
w <- c(3, -2, 5)
loss <- -as.vector(S %*% w); n <- length(loss)
o <- order(loss, decreasing = TRUE)
f <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
for (a in c(0.975, 0.99)) {
  j <- floor(n * a); asc <- max(1, j + (n * a > j)); star <- o[n - asc + 1]
  ww <- n * (1 - a); k <- floor(ww); om <- c(rep(1, k), ww - k) / ww; top <- o[1:(k + 1)]
  mes <- as.vector(-t(S[top, , drop = FALSE]) %*% om)
  cat(sprintf("# historical alpha %s: VaR, ES, then component VaR (3), component ES (3)\n", a))
  cat(sprintf("{%s, %.17g, %.17g, {%s}, {%s}},\n", a, loss[star], sum(om * loss[top]), f(w * -S[star, ]), f(w * mes)))
}
mu <- c(0.001, -0.0005, 0.002)
Sigma <- matrix(c(0.04, 0.006, -0.002, 0.006, 0.09, 0.012, -0.002, 0.012, 0.0225), 3, 3)
wg <- c(2, -1, 3); sp <- sqrt(as.numeric(t(wg) %*% Sigma %*% wg)); sw <- as.vector(Sigma %*% wg)
for (a in c(0.95, 0.99)) {
  z <- qnorm(a); lam <- dnorm(z) / (1 - a)
  cat(sprintf("# gaussian alpha %s: VaR, ES, marginal VaR (3), marginal ES (3)\n", a))
  cat(sprintf("{%s, %.17g, %.17g, {%s}, {%s}},\n", a, -sum(wg * mu) + z * sp, -sum(wg * mu) + lam * sp,
              f(-mu + z * sw / sp), f(-mu + lam * sw / sp)))
}
