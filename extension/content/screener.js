// Screener company pages: the symbol (or BSE code) is in the URL (/company/RELIANCE/).
haloReportPage('screener', null);
