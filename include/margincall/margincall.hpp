#pragma once
/// \file
/// Umbrella header: the whole library but the optional io/ loaders (which need
/// nlohmann-json, <margincall/io.hpp>) and mpi/ (MPI, <margincall/mpi.hpp>). Include a layer's module header,
/// <margincall/<layer>.hpp>, or single components for faster builds.

#include <margincall/version.hpp>

#include <margincall/core.hpp>
#include <margincall/contracts.hpp>
#include <margincall/tiers.hpp>
#include <margincall/margin.hpp>
#include <margincall/liquidation.hpp>
#include <margincall/options.hpp>
#include <margincall/risk.hpp>
#include <margincall/volatility.hpp>
#include <margincall/stress.hpp>
#include <margincall/lending.hpp>
#include <margincall/cascade.hpp>
#include <margincall/automation.hpp>
#include <margincall/parallel.hpp>

// calculator
#include <margincall/calculator/account_margin_model.hpp>
#include <margincall/calculator/book_margin_adapters.hpp>
#include <margincall/calculator/default_policies.hpp>
#include <margincall/calculator/liquidation_solvers.hpp>
#include <margincall/calculator/model_liquidation.hpp>
#include <margincall/calculator/policy_concepts.hpp>
#include <margincall/calculator.hpp>
