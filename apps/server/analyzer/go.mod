module playground/analyzer

go 1.24
