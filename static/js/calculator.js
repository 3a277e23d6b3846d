/* calculator evaluator: replaced by the calculator implementation */
