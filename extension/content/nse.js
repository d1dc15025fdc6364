// NSE quote pages: the URL's symbol (equity) or contract identifier (derivatives).
haloReportPage('nse', null);
