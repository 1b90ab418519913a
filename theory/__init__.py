"""The written solution: the LaTeX sources of the four proofs and the programming write-up, and the
small Python modules that state the numbers the PDF prints and the tests check (question 2's
weights, question 3's dual), the generator of the results macros, and the PDF build."""
