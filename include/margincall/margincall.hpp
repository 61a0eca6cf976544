#pragma once
/// \file
/// Umbrella header: the whole library. Include single components for faster builds.

// core
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/core/side.hpp>

// contracts
#include <margincall/contracts/contract.hpp>
#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/contracts/quanto_contract.hpp>
