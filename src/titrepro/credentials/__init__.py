"""The documents that prove a result (R-73): parchemins, livrets de certification, CCS certificates and provisional
result statements, issued from validated minutes as signed PDF/A, with a public register to verify them."""
