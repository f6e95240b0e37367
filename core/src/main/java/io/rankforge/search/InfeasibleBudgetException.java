package io.rankforge.search;

import io.rankforge.UserInputException;

/**
 * The documented "no feasible selection" outcome: no configuration a method may pick lies within the problem's
 * budgets (the budget is below the cheapest configuration, or a method's search space has nothing below it).
 * It is a result about the problem, not a defect: a job may record it per (model, method, budget) and go on,
 * where any other exception of a selector is a failure.
 */
public class InfeasibleBudgetException extends UserInputException {
    public InfeasibleBudgetException(String message) {
        super(message);
    }
}
