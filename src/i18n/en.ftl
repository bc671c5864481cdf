# dossier's messages in English. Every id here must also be in ko.ftl (the test
# `catalogues_have_the_same_ids` checks), and every id must be used in src/.
# Ids are the stable --json codes with "." written as "-"; hints end in "-hint".

## Sentences

sentence-file = { $file } { $message }
sentence-hint = { $what }: { $hint }
manifest-hint = { $hint }

## Files (inspection)

file-unreadable = cannot be read: { $reason }
file-unreadable-hint = check that the file exists and that you are allowed to read it
file-folder = is a folder, not a file
file-folder-hint = name the files inside it
file-too_large = is { $megabytes } MB, larger than dossier reads (2048 MB)
file-too_large-hint = no document in a submission should be this large: export it again, smaller
file-empty = is empty (0 bytes)
file-empty-hint = the download or copy failed: get the document again
file-text_misnamed = is plain text, not a { $ext } (only its name says { $ext })
file-text_misnamed-hint = open it to see what it is, and get the real document
file-html_not_pdf = is an HTML page, not a PDF
file-html_not_pdf-secure = is an HTML page, not a PDF (a secure-mail page, 보안메일)
file-html = is an HTML page
file-html-secure = is an HTML page (a secure-mail page, 보안메일)
file-html-hint = open it in a browser and print it to PDF
file-html-secure-hint = open it in a browser, enter the password, then print it to PDF
file-foreign = is { $kind }
file-foreign-hint = open it and save or export it as PDF
file-foreign-heic-hint = export it as JPEG (on iPhone: Settings → Camera → Formats → Most Compatible)
file-foreign-hwp-hint = open it in 한글 and save as PDF
file-unknown_binary = is not a PDF, image or text (unrecognised binary data)
file-unknown_binary-hint = open it in the program that made it and export it as PDF
text-unknown_encoding = is text in an unknown encoding
text-unknown_encoding-hint = save it as UTF-8
file-download-again-hint = download or export it again

kind-empty = an empty file
kind-unreadable = an unreadable file
kind-html = an HTML page
kind-heic = an HEIC photo (iPhone)
kind-word = a Word document (.docx)
kind-powerpoint = a PowerPoint presentation (.pptx)
kind-excel = an Excel workbook (.xlsx)
kind-opendocument = an OpenDocument file (.odt/.odp)
kind-zip = a zip archive
kind-hwp = a Hangul (HWP) document
kind-old-office = an old Office document (.doc/.xls/.ppt)
kind-binary = unrecognised binary data
kind-unknown-encoding = text in an unknown encoding

## PDFs

pdf-junk_before_header = has { $bytes } bytes before the PDF header (a mail gateway's header?)
pdf-junk_before_header-hint = readers tolerate it; dossier strips it when merging
pdf-truncated = is damaged: it ends before the end of the PDF (truncated download?)
pdf-repaired = was damaged and has been repaired ({ $what }); nothing was lost
pdf-repaired-hint = the build checks every merged page against it; re-export it if you can
pdf-repaired_partly = was damaged and could be repaired only in part ({ $repaired ->
        [0] nothing to repair
       *[other] { $what }
    }); not recovered: { $lost }
pdf-repaired_partly-hint = download or export it again: the damaged pages cannot be restored from this copy
repair-header_missing = it had no PDF header
repair-truncated = it was cut short and was read from the objects that are there
repair-xref_rebuilt = its cross-reference table was rebuilt from its objects
repair-xref_offsets = its cross-reference table's offsets were corrected
repair-stream_length = { $count } stream(s) with a wrong or missing length were read up to their end marker
repair-filter_abbreviation = { $count } stream(s) named their compression in short form
repair-repeated_pages = its page tree lists a page more than once ({ $count } repeat(s), each kept)
repair-lost_page = page { $page } is missing and will be blank
repair-lost_content = part of page { $page }'s content is missing
pdf-no_pages = has no pages
pdf-inflates = has a compressed part that unpacks to more than { $limit } MB, more than dossier will read
pdf-reprint-hint = print it to a new PDF or export it again
pdf-damaged = is damaged and cannot be read
pdf-pages_missing = is damaged: some of its pages are missing
pdf-page_tree-deep = has a broken page tree (it is nested too deeply)
pdf-page_tree-loop = has a broken page tree (it loops)
pdf-page_tree-count = has a broken page tree (too many pages)
pdf-encrypted = is encrypted with a password ({ $method })
pdf-encrypted-var-hint = set the environment variable { $var } to its password (often the birth date, 6 digits) and run again
pdf-encrypted-manifest-hint = add password_env = "{ $var }" to this item in the manifest and set that variable to the password
pdf-encrypted-inspect-hint = put the password in an environment variable and name it: dossier inspect --password-env VAR FILE
pdf-wrong_password-var = does not open with the password in { $var } (wrong password)
pdf-wrong_password-var-hint = check the value of { $var }
pdf-wrong_password = does not open with the given password (wrong password)
pdf-wrong_password-hint = check the password

## Images

image-damaged = is damaged: { $detail }
image-too_large = declares { $width }×{ $height } pixels ({ $megapixels } megapixels), more than dossier will decode ({ $limit })
image-too_large-hint = resize it (e.g. 4000 px on the long side) and save again
image-misnamed = is a { $format } named .{ $ext }
image-misnamed-hint = rename it to .{ $usual }

## Discovery

file-not_regular = is not a regular file (a named pipe, socket or device)
file-not_regular-hint = put the document itself in its place
file-dangling_link = is a link to `{ $target }`, which does not exist (missing target)
file-dangling_link-hint = copy the document itself into the folder
file-link_outside = is a link to `{ $target }`, outside the documents folder
file-link_outside-hint = copy the document into the folder, or set allow_outside_root = true in [bundle]
folder-unreadable-hint = check the folder's permissions
file-bad_name = has a name that is not valid Unicode (it would show as garbage on Windows)
file-bad_name-hint = rename it
file-unclaimed = is not part of any item
file-unclaimed-suggest = is not part of any item; did you mean { $title } (`{ $glob }`)? If so, rename it to match; if not, move it out of the documents folder
file-unclaimed-hint = add it to an item's `files` globs, or move it out of the documents folder

## Items

item-wrong_kind = is { $kind ->
        [pdf] a PDF
        [image] an image
       *[text] a text file
    }, but `{ $item }` accepts only { $accepted }
item-wrong_kind-export-hint = export or print it to PDF, or add its kind to `kinds` in the manifest
item-wrong_kind-hint = add "{ $kind }" to `kinds` in the manifest if it belongs here, or narrow the `files` globs
item-too_big = is { $size }, over the limit of { $limit } for `{ $item }`
item-too_big-hint = scan or export it at a lower resolution, or split it
item-too_many_pages = has { $pages } pages, more than the { $max } allowed for `{ $item }`
item-too_many_pages-hint = check that it is the right document
item-too_few_pages = has { $pages ->
        [one] 1 page
       *[other] { $pages } pages
    }, fewer than the { $min } required for `{ $item }`
item-too_few_pages-hint = check that the whole document was saved
file-name_twins_same = exists { $count } times with the same content, its name spelt differently (macOS NFD and NFC)
file-name_twins_same-hint = delete the copies
file-name_twins_differ = exists { $count } times with different content: the names look the same but are spelt differently (macOS NFD and NFC)
file-name_twins_differ-hint = keep the right one and delete or rename the other
item-shared_file = is also matched by { $others }
item-shared_file-hint = narrow the `files` globs of `{ $item }` so each file belongs to one item
item-missing = no file matches "{ $globs }"
item-missing-near = no file matches "{ $globs }"; near misses: { $near }
item-missing-hint = put it under the documents folder with a name matching "{ $globs }"
item-too_few_files = has { $present } file(s), needs at least { $min }
item-too_few_files-hint = add the missing files (names matching "{ $globs }")
item-too_many_files = has { $count } files, at most { $max } allowed
item-too_many_files-hint = remove the extra files or narrow the `files` globs

## Months

month-outside_period = is for { $month }, outside the internship period
month-outside_period-hint = check the file; it is left out of the month count
month-not_in_name = has no month in its name
month-not_in_name-hint = rename it with the month it is for, e.g. { $example }
month-twice = has { $count } files for { $month }: { $files }
month-twice-hint = keep one per month unless the month really has several
month-missing = missing { $month }
month-missing-hint = add the { $title } for { $month }, with the month in its name

## Notes

note-image_missing = links to the image `{ $url }`, which is not in the documents folder
note-image_unusable = links to `{ $url }`, which is not an image dossier can draw
note-image_missing-hint = put the image beside the note (links are relative to the note's folder); its alt text stands in for it

## Check report

check-heading = dossier check: { $path }
column-item = ITEM
column-status = STATUS
column-files = FILES
column-pages = PAGES
status-ok = ok
status-warning = warning
status-missing = missing
status-invalid = invalid
label-optional = optional
check-unclaimed = files that no item claims:
check-recipients = recipients:
check-ready = ready
check-not_ready = not ready: { $items }
check-summary-ready = ready: every required item is present and valid
check-summary-not_ready = not ready: { $missing } item(s) missing, { $invalid } invalid
prompt-password = { $student }: password for the encrypted files of `{ $item }` ({ $title }):{" "}

## Inspect

inspect-kind = kind:  {" "}
inspect-bytes = bytes: {" "}
inspect-sha256 = sha256:{" "}
inspect-rejected = rejected:
inspect-warning = warning: 
inspect-pdf = PDF { $version }, { $pages ->
        [-1] ? pages
        [one] 1 page
       *[other] { $pages } pages
    }, { $encryption }{ $repaired ->
        [yes] , repaired
       *[no] {""}
    }
inspect-pdf-plain = not encrypted
inspect-pdf-encrypted-opened = encrypted ({ $method }), opened
inspect-pdf-encrypted-locked = encrypted ({ $method }), not opened
inspect-image = image { $format } { $width }×{ $height } px, { $color } { $bits }-bit{ $alpha ->
        [yes] , alpha
       *[no] {""}
    }{ $orientation ->
        [0] {""}
       *[other] , EXIF orientation { $orientation }
    }
inspect-text = text, { $encoding }, { $lines } line(s){ $crlf ->
        [yes] , CRLF
       *[no] {""}
    }
inspect-markdown = Markdown, { $encoding }, { $lines } line(s){ $crlf ->
        [yes] , CRLF
       *[no] {""}
    }

## Build

build-state-built = built
build-state-draft = built as a DRAFT (placeholders for { $items })
build-state-not_built = not built: { $items } not ready
build-state-failed = not built: an error stopped it (the folder is as it was)
build-draft-hint = fix what is listed and build again, or build with --draft to send placeholders for what is missing
build-pages = , { $pages ->
        [one] { $pages } page
       *[other] { $pages } pages
    }
build-failed = { $error }
build-decrypted = { $file } was encrypted: the merged PDF and the zip hold it decrypted, so the recipient can open it
build-mail = mail { $name } { $size } / { $budget }
build-mail-images = { $count } photos at { $dpi } dpi, { $before } → { $after }
build-mail-inner = images inside PDFs at { $dpi } dpi, { $saved } saved
build-mail-copies = { $count } photos in the zip as smaller copies, { $before } → { $after }
build-over_budget = the email is over the budget of { $budget } once attachments are base64-encoded; largest files: { $largest }
build-over_budget-off = the mail is over its limit of { $budget } (fit = "off" keeps every byte). Largest files: { $largest }. With fit = "auto" dossier compacts photos or splits the mail to fit
build-document = item `{ $item }`, file `{ $path }`: { $cause }
build-document-hint = export the file again, or leave it out of the item
build-again-hint = run build again
build-changed = changed while dossier was running
build-kind_changed = is no longer a { $kind } file
build-merge_failed = cannot be merged: { $reason }
build-proof_failed = page { $page } lost content in the merged PDF ({ $detail }); nothing was written
build-proof_failed-hint = this is a bug in dossier: please report it with the file
build-decrypted_copy = its decrypted copy cannot be written: { $reason }
build-bundle = recipient `{ $recipient }`: { $cause }
build-assemble_failed = the merged PDF cannot be made: { $reason }
build-zip_failed = the zip cannot be written: { $reason }
build-mail_failed = the mail draft cannot be written: { $reason }
build-split_failed = `{ $file }` is { $size } at its smallest, { $needed } once encoded in a mail, over the limit of { $budget } for one message
build-split-hint = raise max_attachment for this recipient (Gmail takes "25 MB"), send that file through a large-file link (대용량 첨부), or send only the merged PDF with attach = ["pdf"]
build-image = item `{ $item }`, file `{ $file }`: the image cannot be prepared: { $reason }
render-missing_glyph = no font has the character '{ $char }' ({ $code }): it shows as a box
dry-run-subject = subject: { $subject }
dry-run-attachments = { $name } attaches { $list }

## Errors

label-error = error:
label-hint = hint:
manifest-not_found = no manifest at `{ $path }`
manifest-not_found-hint = run `dossier init` to write a starter manifest, or name the manifest: `dossier check path/to/dossier.toml`
manifest-unreadable = cannot read manifest `{ $path }`: { $reason }
manifest-error = { $location }: { $message }
usage-unknown_recipient = the manifest `{ $manifest }` has no recipient `{ $id }`
usage-unknown_recipient-hint = recipients are: { $known }
usage-root_missing = the documents folder `{ $root }` does not exist
usage-root_missing-hint = create it, or set `root` in [bundle] of `{ $manifest }` to the folder that holds the documents
usage-unknown_template = there is no template `{ $name }`
usage-unknown_template-hint = templates are: { $known }
usage-manifest_exists = `{ $path }` already exists; init never overwrites a manifest
usage-manifest_exists-hint = edit it, or run init in another folder
usage-unknown_language = `{ $given }` is not a language dossier speaks
usage-unknown_language-hint = use ko or en
usage-path_missing = nothing at `{ $path }`
usage-path_missing-hint = name received zips, merged PDFs, mails (.eml) or folders holding them
io-read = cannot read `{ $path }`: { $reason }
io-write = cannot write `{ $path }`: { $reason }
io-create_folder = cannot create folder `{ $path }`: { $reason }
io-print = cannot print: { $reason }
font-no_hangul = font `{ $path }` has no Hangul: Korean text is set in the font built into dossier
font-no_system_korean = `font = "system"`: no Korean font is installed on this system; the font built into dossier is used
font-unusable = font `{ $path }`: { $reason }
font-unusable-hint = point `font` in [bundle] at a TrueType/OpenType file with Hangul, or remove `font` to use the Korean font built into dossier

## Manifest problems (each shown as "dossier.toml:LINE:COLUMN: message", then the line, then the hint)

manifest-errors = { $path } has { $count } errors; fix them all, then run again
manifest-not_utf8 = the manifest is not UTF-8 text
manifest-not_utf8-hint = save it as UTF-8 (in Notepad: Save As → Encoding: UTF-8)
manifest-unquoted_key = the key `{ $key }` needs quotes: without them TOML allows only ASCII letters, digits, `-` and `_`
manifest-unquoted_key-hint = write "{ $key }" = …
manifest-dotted_date = `{ $value }` is not a date in TOML (it reads as a broken number)
manifest-dotted_date-hint = write { $key } = { $iso }, or put it in quotes: { $key } = "{ $value }"
manifest-backslash = `{ $text }` separates folders with a backslash (\)
manifest-backslash-hint = write / between folders, on Windows too: "{ $fixed }"
manifest-syntax = this is not valid TOML: { $detail }
manifest-syntax-hint = check the quotes, brackets and commas on this line
manifest-unknown_key = there is no key `{ $key }` here
manifest-unknown_key-hint = the keys here are: { $known }
manifest-unknown_key-near-hint = did you mean `{ $near }`? The keys here are: { $known }
manifest-missing_key = `{ $key }` is missing here
manifest-missing_key-hint = add { $key } = …; the README's manifest reference says what it holds
manifest-wrong_type = the value has the wrong type: { $detail }
manifest-wrong_type-hint = the README's manifest reference shows how each key is written
manifest-empty_root = `root` is empty
manifest-empty_root-hint = leave `root` out to use the manifest's folder
manifest-empty_output = `output` is empty
manifest-empty_output-hint = leave `output` out to write to `out`
manifest-output_contains_root = `output` contains `root`, so build would write over the documents
manifest-output_contains_root-hint = point `output` at a folder of its own, e.g. "out"
manifest-bad_lang = `lang = "{ $value }"` is not a language dossier writes
manifest-bad_lang-hint = write lang = "ko" (한국어) or lang = "en" (English)
manifest-bad_file_name = `file_name = "{ $value }"` is not a file name
manifest-bad_file_name-hint = give a name without folders (no / or \)
manifest-student_value = [student] `{ $key }` must be a single value
manifest-student_value-hint = write it as text: "학과" = "컴퓨터공학과"
manifest-period_reversed = [period] ends ({ $end }) before it starts ({ $start })
manifest-period_reversed-hint = swap `start` and `end`
manifest-bad_date = [period] `{ $key }` is not a date
manifest-bad_date-hint = write a date as { $key } = 2023-03-02
manifest-bad_id = { $section ->
        [item] item
       *[recipient] recipient
    } id `{ $id }` may use only ASCII letters, digits, `-` and `_`
manifest-bad_id-hint = ids name folders and JSON keys; put the Korean name in `title`
manifest-duplicate_id = { $section ->
        [item] item
       *[recipient] recipient
    } id `{ $id }` is used twice
manifest-duplicate_id-hint = give each { $section } its own id
manifest-no_kinds = item `{ $item }` accepts no kinds
manifest-no_kinds-hint = list at least one of "pdf", "image", "text"
manifest-per_month_without_period = item `{ $item }` is per_month but the manifest has no [period]
manifest-per_month_without_period-hint = add [period] with start = 2023-03-02 and end = 2023-06-30
manifest-max_below_min = item `{ $item }` has max = { $max }, fewer than min = { $min }
manifest-max_below_min-hint = make max at least min
manifest-max_zero = item `{ $item }` has max = 0
manifest-max_zero-hint = leave `max` out for no upper bound
manifest-pages_max_below_min = item `{ $item }` has pages.max = { $max }, fewer than pages.min = { $min }
manifest-pages_max_below_min-hint = make pages.max at least pages.min
manifest-bad_password_env = `password_env = "{ $name }"` is not an environment variable name
manifest-bad_password_env-hint = name a variable, e.g. password_env = "PAYSLIP_PASSWORD"; never write the password itself in the manifest
manifest-size_not_a_number = `{ $key } = "{ $text }"` is not a size: it should start with a number
manifest-size_unit = `{ $unit }` is not a size unit (use B, KB, MB, GB, KiB, MiB or GiB)
manifest-size_too_large = `{ $key } = "{ $text }"` is too large
manifest-size_not_positive = `{ $key }` must be more than zero
manifest-size-hint = write a size with its unit, e.g. { $key } = "10 MB"
manifest-size_without_unit = `{ $key } = { $number }` has no unit, so it would mean { $number } bytes
manifest-size_without_unit-hint = write the unit: { $key } = "{ $number } MB"
manifest-empty_files = item `{ $item }` has an empty `files` list
manifest-empty_files-hint = list at least one glob, e.g. files = ["수료증*"]
manifest-empty_glob = item `{ $item }` has an empty glob
manifest-empty_glob-hint = remove the empty string from `files`
manifest-glob_outside = item `{ $item }`: the glob `{ $glob }` reaches outside `root`
manifest-glob_outside-hint = move the documents under root, or set allow_outside_root = true in [bundle]
manifest-bad_glob = item `{ $item }`: `{ $glob }` is not a valid glob ({ $detail })
manifest-bad_glob-hint = use * for any characters, ? for one, ** for any folders
manifest-glob_repeats_root = item `{ $item }`: `{ $glob }` starts with `{ $root }/`, the folder `root` already names
manifest-glob_repeats_root-hint = globs are looked up inside root: write "{ $fixed }"
manifest-recipient_no_items = recipient `{ $recipient }` receives no items
manifest-recipient_no_items-hint = list the item ids this recipient needs
manifest-unknown_item = recipient `{ $recipient }` names the unknown item `{ $name }`
manifest-unknown_item-hint = the items are: { $known }
manifest-unknown_item-near-hint = did you mean `{ $near }`? The items are: { $known }
manifest-item_twice = recipient `{ $recipient }` lists item `{ $name }` twice
manifest-item_twice-hint = list each item once
manifest-no_items = the manifest lists no [[items]]
manifest-no_items-hint = add an [[items]] table for each document; `dossier init` writes a complete example
manifest-bad_choice = `{ $key } = "{ $value }"` is not a value dossier knows
manifest-bad_choice-hint = write one of { $allowed }
manifest-attach_nothing = `attach = []` leaves the mail with nothing attached
manifest-attach_nothing-hint = write attach = ["pdf", "zip"] (the default), ["pdf"] or ["zip"]

## Init

init-wrote = wrote { $path }
init-created = created { $path }/
init-next = next: put the documents in those folders, fill in [student] and [period], then run `dossier check`

## Generated pages (the bundle's language)

page-recipient = To: { $recipient }
page-period = Internship period
page-period-range = { $start } ~ { $end }
page-documents = Documents
page-draft-banner = DRAFT — some documents still to come
page-more-items = … and { $count } more (see contents)
page-contents = Contents
page-cover = Cover
page-placeholder = To come: { $title }
page-placeholder-month = To come: { $title }, { $month }
page-placeholder-file = To come: { $title } ({ $file })
page-placeholder-note = This page stands for a document the student has not handed in yet; this bundle is a draft.
page-file-month = { $month } · { $file }
month-label = { $year }-{ $month ->
        [1] 01
        [2] 02
        [3] 03
        [4] 04
        [5] 05
        [6] 06
        [7] 07
        [8] 08
        [9] 09
       *[other] { $month }
    }

## Mail (the bundle's language)

mail-subject = [{ $short_title }] { $id } { $name }
mail-subject-draft = [DRAFT] [{ $short_title }] { $id } { $name }
mail-draft-mark = [DRAFT]
mail-draft-note = This is a draft: some documents are still to come, and pages marked "To come" stand in for them.
mail-greeting-professor = Dear Professor,
mail-greeting-office = Dear Department Office,
mail-greeting-other = Dear { $recipient },
mail-intro = Please find attached the documents "{ $title }" of { $name } ({ $id }).
mail-intro-draft = This is a DRAFT of the documents "{ $title }" of { $name } ({ $id }): some documents are still to come, and pages marked "To come" stand in for them. I will send the complete set as soon as I have it.
mail-closing = Kind regards,
    { $name }
mail-parts = The documents are too large for one email and come in { $parts } emails; this is number { $part }.
mail-attachments = Attached:
mail-attached-pdf = { $name } ({ $size }): all documents merged into one PDF, which opens on a phone too.
mail-attached-zip = { $name } ({ $size }): the original files.
mail-contents = Files in the zip:
mail-compacted = To fit the mail limit, these photos in the zip are smaller copies; the originals are available on request.
mail-checksums = The zip also holds the SHA-256 checksums of the merged PDF and of these files ({ $file }), to confirm that what arrived is what was sent.

## Verify (what was received)

verify-bundle = student { $id } { $name }, for { $recipient } ({ $recipient_id })
verify-intact = intact: every file matches its recorded hash
verify-not_intact = NOT intact
verify-complete = complete
verify-incomplete = NOT complete
verify-months = { $title }: { $months }
verify-summary-ok = verified: every bundle is intact and complete
verify-summary-problems = { $count } bundle(s) or file(s) with problems
verify-not_dossier = is not a dossier bundle: { $what }
verify-what-zip = a zip without dossier.json (not built by dossier, or repacked)
verify-what-pdf = a PDF without an embedded dossier record (not built by dossier, or printed or saved again)
verify-what-mail = a mail without a zip or PDF attached
verify-what-image = an image
verify-what-text = a text file
verify-what-other = neither a zip, a PDF nor a mail
verify-unsafe_zip = refused, nothing of it was used: entry `{ $entry }` { $reason }
verify-unsafe-traversal = climbs out of its folder (`..`)
verify-unsafe-absolute = has an absolute path
verify-unsafe-symlink = is a symbolic link
verify-unsafe-duplicate = has the same name as another entry
verify-unsafe-bomb = unpacks to more than dossier will read (a zip bomb?)
verify-unsafe-too_many = is one of more entries than any bundle has
verify-unsafe-encrypted = is encrypted (dossier never encrypts entries)
verify-damaged = cannot be read: { $reason }
verify-record_unreadable = has a dossier.json that cannot be read: { $reason }
verify-changed = `{ $file }` has changed: its bytes do not match the recorded hash
verify-file_missing = `{ $file }` is missing
verify-file_missing-item = `{ $file }` of { $item } is missing
verify-extra = `{ $file }` is not part of the bundle (added later?)
verify-no_checksums = the zip has no { $file }
verify-pages = the merged PDF has { $found } pages, its record says { $expected }
verify-item_missing = { $title } (`{ $item }`) is missing
verify-month_missing = { $title } for { $month } is missing
verify-draft = the bundle is a DRAFT: placeholder pages stand in for missing documents
verify-other_recipient = built for `{ $found }`, judged by the list of `{ $expected }`
verify-short-missing = missing { $what }
verify-short-changed = changed { $what }
verify-short-draft = DRAFT
verify-short-extra = extra { $what }

## Cohort table

cohort-title = dossier: submissions
cohort-column-id = 학번 (ID)
cohort-column-name = 이름 (name)
cohort-column-problems = problems
cohort-ready = ready
cohort-not_ready = not ready
cohort-summary = { $students } student(s), { $problems } with problems
cohort-filter = only students with problems (문제 있는 학생만)
cohort-details = Details
cohort-short-invalid = invalid { $what }
cohort-detail = { $item }: { $message }
