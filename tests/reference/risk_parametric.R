# Reference values for tests/risk/{normal_var,student_t_var,cornish_fisher_var,sample_moments}.cpp.
# Run: Rscript tests/reference/risk_parametric.R > tests/reference/risk_parametric.out
# VaR from R's qnorm/qt; ES two ways: the closed form, and independently by numerical
# integration of the quantile function, ES = (1/(1-a)) * integral_a^1 VaR_u du (Acerbi & Tasche 2002).
options(digits = 17)
cat(R.version.string, "\n")
es_int <- function(q, a) integrate(q, a, 1, rel.tol = 1e-13, subdivisions = 1000L)$value / (1 - a)
mu <- 0.001; s <- 0.02
cat("# normal: mu, sd, alpha, VaR, ES closed form, ES integrated\n")
for (a in c(0.95, 0.99, 0.995)) {
  z <- qnorm(a)
  cat(sprintf("{%s, %s, %s, %.17g, %.17g, %.17g},\n", mu, s, a, mu + s * z, mu + s * dnorm(z) / (1 - a),
              es_int(function(u) mu + s * qnorm(u), a)))
}
cat("# student t: location, scale, nu, alpha, VaR, ES closed form, ES integrated\n")
for (nu in c(3, 4.5, 10)) for (a in c(0.95, 0.99, 0.995)) {
  q <- qt(a, nu)
  cat(sprintf("{%s, %s, %s, %s, %.17g, %.17g, %.17g},\n", mu, s, nu, a, mu + s * q,
              mu + s * dt(q, nu) / (1 - a) * (nu + q^2) / (nu - 1), es_int(function(u) mu + s * qt(u, nu), a)))
}
cat("# cornish-fisher: mu, sd, skew, exkurt, alpha, VaR, ES integrated from the CF quantile function\n")
zcf <- function(z, S, K) z + (z^2 - 1) * S / 6 + (z^3 - 3 * z) * K / 24 - (2 * z^3 - 5 * z) * S^2 / 36
for (SK in list(c(0, 0), c(0.5, 3), c(-0.3, 1.5), c(1, 6))) for (a in c(0.95, 0.99)) {
  S <- SK[1]; K <- SK[2]
  cat(sprintf("{%s, %s, %s, %s, %s, %.17g, %.17g},\n", mu, s, S, K, a, mu + s * zcf(qnorm(a), S, K),
              es_int(function(u) mu + s * zcf(qnorm(u), S, K), a)))
}
# Sample "small" of tests/reference/risk_historical.R.
small <- { i <- 0:249; m <- (i * 37) %% 251; (m - 100)^3 / 1e4 }
n <- length(small); m1 <- mean(small); m2 <- mean((small - m1)^2)
S <- mean((small - m1)^3) / m2^1.5; K <- mean((small - m1)^4) / m2^2 - 3
cat("# small sample: mean, var (n-1), m2 (n), skewness, excess kurtosis\n")
cat(sprintf("%.17g, %.17g, %.17g, %.17g, %.17g\n", m1, var(small), m2, S, K))
a <- 0.99
cat("# small sample at 0.99: normal VaR, ES; t(nu = 5, scale = sd*sqrt(3/5)) VaR, ES; CF VaR, ES\n")
sc <- sd(small) * sqrt(3 / 5); q <- qt(a, 5)
cat(sprintf("%.17g, %.17g, %.17g, %.17g, %.17g, %.17g\n",
            m1 + sd(small) * qnorm(a), m1 + sd(small) * es_int(qnorm, a),
            m1 + sc * q, m1 + sc * es_int(function(u) qt(u, 5), a),
            m1 + sqrt(m2) * zcf(qnorm(a), S, K), m1 + sqrt(m2) * es_int(function(u) zcf(qnorm(u), S, K), a)))
