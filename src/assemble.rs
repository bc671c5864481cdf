//! Assembly: the generated pages and the input PDFs merged into one PDF, following the layout.
