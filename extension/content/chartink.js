// Chartink stock pages: the symbol is in the URL (/stocks/reliance.html).
haloReportPage('chartink', null);
