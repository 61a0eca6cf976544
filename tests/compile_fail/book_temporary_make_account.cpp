// Must not compile: an account taken from a temporary book. The account's positions point
// at the book's margin models, and the temporary book dies at the end of the statement; the
// rvalue overload of make_account is deleted, so the dangling account is a compile error
// (docs/margin.md, "The book").
// expect: (use of deleted function|call to deleted member function).*make_account
#include <margincall/margin/book.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <vector>

using schedule = margincall::tier_schedule<double>;
using linear = margincall::linear_contract<double>;
using book_t = margincall::book<linear, schedule>;

book_t load() {
    const std::vector<margincall::account_row<double>> accounts{{.wallet_balance = 1000}};
    const std::vector<margincall::position_row<double>> positions{
        {.account = 0, .symbol = 0, .quantity = 1, .entry_price = 20000, .leverage = 50}};
    return book_t({linear{}}, {schedule({{0, 2000000, 100, 0.005}})}, accounts, positions);
}

int main() {
    const auto account = load().make_account(0);
    return static_cast<int>(account.positions().size());
}
