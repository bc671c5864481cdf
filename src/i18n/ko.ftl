# dossier의 한국어 메시지. en.ftl과 같은 id를 모두 가져야 합니다
# (테스트 `catalogues_have_the_same_ids`). id는 --json의 code에서 "."를 "-"로 쓴 것입니다.

## 문장

sentence-file = { $file }: { $message }
sentence-hint = { $what } → { $hint }
manifest-hint = { $hint }

## 파일 (검사)

file-unreadable = 파일을 읽을 수 없습니다 ({ $reason })
file-unreadable-hint = 파일이 있는지, 읽을 권한이 있는지 확인하세요
file-folder = 파일이 아니라 폴더입니다
file-folder-hint = 폴더 안의 파일 이름을 적어 주세요
file-too_large = 크기가 { $megabytes } MB로, dossier가 읽는 한도(2048 MB)보다 큽니다
file-too_large-hint = 제출 서류가 이렇게 클 수는 없습니다. 더 작게 다시 내보내세요
file-empty = 빈 파일입니다 (0바이트)
file-empty-hint = 내려받기나 복사가 실패했습니다. 서류를 다시 받으세요
file-text_misnamed = 이름만 { $ext }이고 실제로는 일반 텍스트입니다
file-text_misnamed-hint = 파일을 열어 무엇인지 확인하고 진짜 서류를 받으세요
file-html_not_pdf = PDF가 아니라 HTML 웹 페이지입니다
file-html_not_pdf-secure = PDF가 아니라 HTML 웹 페이지(보안메일)입니다
file-html = HTML 웹 페이지입니다
file-html-secure = HTML 웹 페이지(보안메일)입니다
file-html-hint = 브라우저로 열어 PDF로 인쇄하세요
file-html-secure-hint = 브라우저로 열어 비밀번호를 입력한 뒤 PDF로 인쇄하세요
file-foreign = { $kind }입니다
file-foreign-hint = 파일을 열어 PDF로 저장하거나 내보내세요
file-foreign-heic-hint = JPEG로 내보내세요 (아이폰: 설정 → 카메라 → 포맷 → 높은 호환성)
file-foreign-hwp-hint = 한글에서 열어 PDF로 저장하세요
file-unknown_binary = PDF도 이미지도 텍스트도 아닙니다 (알 수 없는 이진 데이터)
file-unknown_binary-hint = 만든 프로그램에서 열어 PDF로 내보내세요
text-unknown_encoding = 알 수 없는 인코딩의 텍스트입니다
text-unknown_encoding-hint = UTF-8로 저장하세요
file-download-again-hint = 다시 내려받거나 다시 내보내세요

kind-empty = 빈 파일
kind-unreadable = 읽을 수 없는 파일
kind-html = HTML 웹 페이지
kind-heic = HEIC 사진(아이폰)
kind-word = Word 문서(.docx)
kind-powerpoint = PowerPoint 프레젠테이션(.pptx)
kind-excel = Excel 통합 문서(.xlsx)
kind-opendocument = OpenDocument 파일(.odt/.odp)
kind-zip = zip 압축 파일
kind-hwp = 한글(HWP) 문서
kind-old-office = 예전 Office 문서(.doc/.xls/.ppt)
kind-binary = 알 수 없는 이진 데이터
kind-unknown-encoding = 알 수 없는 인코딩의 텍스트

## PDF

pdf-junk_before_header = PDF 머리글 앞에 { $bytes }바이트가 더 붙어 있습니다 (메일 서버가 붙인 머리글?)
pdf-junk_before_header-hint = 뷰어는 그대로 열고, dossier는 병합할 때 떼어 냅니다
pdf-truncated = 손상되었습니다: PDF가 끝까지 저장되지 않았습니다 (내려받기 중단?)
pdf-repaired = 손상되어 있었지만 복구했습니다 ({ $what }). 잃은 내용은 없습니다
pdf-repaired-hint = 만들 때 병합된 쪽을 모두 이 파일과 대조합니다. 가능하면 다시 내보내세요
pdf-repaired_partly = 손상되어 일부만 복구했습니다 ({ $repaired ->
        [0] 복구할 것 없음
       *[other] { $what }
    }). 되살리지 못한 것: { $lost }
pdf-repaired_partly-hint = 다시 내려받거나 다시 내보내세요. 이 사본으로는 손상된 쪽을 되살릴 수 없습니다
repair-header_missing = PDF 머리글이 없었음
repair-truncated = 끝까지 저장되지 않아 남아 있는 객체로 읽음
repair-xref_rebuilt = 상호 참조 표(xref)를 객체들로 다시 만듦
repair-xref_offsets = 상호 참조 표(xref)의 위치 값을 바로잡음
repair-stream_length = 길이 값이 틀리거나 없는 스트림 { $count }개를 끝 표시까지 읽음
repair-filter_abbreviation = 압축 방식을 줄여 쓴 스트림 { $count }개를 읽음
repair-repeated_pages = 쪽 목록에 같은 쪽이 거듭 나옴 ({ $count }번, 모두 살림)
repair-lost_page = { $page }쪽이 없어 빈 쪽이 됩니다
repair-lost_content = { $page }쪽의 내용 일부가 없습니다
pdf-no_pages = 쪽이 하나도 없습니다
pdf-inflates = 압축을 풀면 { $limit } MB가 넘는 부분이 있어 dossier가 읽지 않습니다
pdf-reprint-hint = 새 PDF로 인쇄하거나 다시 내보내세요
pdf-damaged = 손상되어 읽을 수 없습니다
pdf-pages_missing = 손상되었습니다: 일부 쪽이 없습니다
pdf-page_tree-deep = 쪽 구조가 망가졌습니다 (너무 깊게 중첩됨)
pdf-page_tree-loop = 쪽 구조가 망가졌습니다 (순환함)
pdf-page_tree-count = 쪽 구조가 망가졌습니다 (쪽이 너무 많음)
pdf-encrypted = 비밀번호로 잠겨 있습니다 ({ $method })
pdf-encrypted-var-hint = 환경 변수 { $var }에 비밀번호(보통 생년월일 6자리)를 넣고 다시 실행하세요
pdf-encrypted-manifest-hint = 매니페스트의 이 항목에 password_env = "{ $var }"를 넣고, 그 환경 변수에 비밀번호를 넣으세요
pdf-encrypted-inspect-hint = 비밀번호를 환경 변수에 넣고 그 이름을 알려 주세요: dossier inspect --password-env 변수 파일
pdf-wrong_password-var = { $var }의 비밀번호로 열리지 않습니다 (비밀번호가 틀림)
pdf-wrong_password-var-hint = { $var }의 값을 확인하세요
pdf-wrong_password = 입력한 비밀번호로 열리지 않습니다 (비밀번호가 틀림)
pdf-wrong_password-hint = 비밀번호를 확인하세요

## 이미지

image-damaged = 손상되었습니다: { $detail }
image-too_large = { $width }×{ $height } 픽셀({ $megapixels }메가픽셀)로, dossier가 여는 한도({ $limit }메가픽셀)보다 큽니다
image-too_large-hint = 크기를 줄여(예: 긴 변 4000픽셀) 다시 저장하세요
image-misnamed = { $format } 이미지인데 확장자가 .{ $ext }입니다
image-misnamed-hint = 확장자를 .{ $usual }로 바꾸세요

## 파일 찾기

file-not_regular = 일반 파일이 아닙니다 (named pipe, 소켓 또는 장치)
file-not_regular-hint = 그 자리에 서류 파일 자체를 넣으세요
file-dangling_link = `{ $target }`를 가리키는 링크인데, 대상이 없습니다
file-dangling_link-hint = 서류 파일 자체를 폴더에 복사하세요
file-link_outside = 서류 폴더 밖의 `{ $target }`를 가리키는 링크입니다
file-link_outside-hint = 서류를 폴더 안으로 복사하거나, [bundle]에 allow_outside_root = true를 넣으세요
folder-unreadable-hint = 폴더 권한을 확인하세요
file-bad_name = 파일 이름이 올바른 유니코드가 아닙니다 (Windows에서 글자가 깨집니다)
file-bad_name-hint = 이름을 바꾸세요
file-unclaimed = 어느 항목에도 속하지 않습니다
file-unclaimed-suggest = 어느 항목에도 속하지 않습니다. { $title }(`{ $glob }`) 서류인가요? 그렇다면 패턴에 맞게 이름을 바꾸고, 아니면 서류 폴더 밖으로 옮기세요
file-unclaimed-hint = 항목의 `files`에 맞는 이름으로 바꾸거나, 서류 폴더 밖으로 옮기세요

## 항목

item-wrong_kind = { $kind ->
        [pdf] PDF
        [image] 이미지
       *[text] 텍스트 파일
    }인데, `{ $item }`은(는) { $accepted }만 받습니다
item-wrong_kind-export-hint = PDF로 내보내거나 인쇄하세요. 이 종류도 받으려면 매니페스트의 `kinds`에 넣으세요
item-wrong_kind-hint = 이 항목에 맞는 파일이면 매니페스트의 `kinds`에 "{ $kind }"를 넣고, 아니면 `files` 패턴을 좁히세요
item-too_big = 크기가 { $size }로, `{ $item }`의 한도 { $limit }를 넘습니다
item-too_big-hint = 더 낮은 해상도로 스캔하거나 내보내세요. 아니면 나누세요
item-too_many_pages = { $pages }쪽으로, `{ $item }`에 허용된 { $max }쪽보다 많습니다
item-too_many_pages-hint = 맞는 서류인지 확인하세요
item-too_few_pages = { $pages }쪽으로, `{ $item }`에 필요한 { $min }쪽보다 적습니다
item-too_few_pages-hint = 서류 전체가 저장되었는지 확인하세요
file-name_twins_same = 같은 내용의 파일이 이름 표기만 달리 { $count }개 있습니다 (macOS NFD와 NFC)
file-name_twins_same-hint = 복사본을 지우세요
file-name_twins_differ = 이름은 같아 보이지만 표기가 다른(macOS NFD와 NFC) 서로 다른 파일이 { $count }개 있습니다
file-name_twins_differ-hint = 맞는 것 하나만 남기고 나머지는 지우거나 이름을 바꾸세요
item-shared_file = { $others } 항목에도 해당합니다
item-shared_file-hint = 파일마다 한 항목에만 속하도록 `{ $item }`의 `files` 패턴을 좁히세요
item-missing = "{ $globs }"에 맞는 파일이 없습니다
item-missing-near = "{ $globs }"에 맞는 파일이 없습니다. 이름이 비슷한 파일: { $near }
item-missing-hint = 서류 폴더에 "{ $globs }"에 맞는 이름으로 넣으세요
item-too_few_files = 파일이 { $present }개로, 적어도 { $min }개가 필요합니다
item-too_few_files-hint = 빠진 파일을 넣으세요 ("{ $globs }"에 맞는 이름)
item-too_many_files = 파일이 { $count }개로, 최대 { $max }개까지 받습니다
item-too_many_files-hint = 남는 파일을 빼거나 `files` 패턴을 좁히세요

## 월

month-outside_period = { $month }분으로, 인턴십 기간 밖입니다
month-outside_period-hint = 파일을 확인하세요. 월 수를 셀 때는 빠집니다
month-not_in_name = 이름에 월이 없습니다
month-not_in_name-hint = 해당 월을 넣어 이름을 바꾸세요. 예: { $example }
month-twice = { $month }분 파일이 { $count }개입니다: { $files }
month-twice-hint = 그 달에 정말 여러 장이 아니라면 한 달에 하나만 두세요
month-missing = { $month }분이 없습니다
month-missing-hint = { $month }분 { $title } 파일을 넣으세요. 파일 이름에 월이 있어야 합니다 (예: { $title }_{ $code }.pdf)

## 노트

note-image_missing = 이미지 `{ $url }`를 넣었는데, 서류 폴더에 그 파일이 없습니다
note-image_unusable = `{ $url }`를 넣었는데, dossier가 그릴 수 있는 이미지가 아닙니다
note-image_missing-hint = 이미지를 노트 옆에 두세요 (경로는 노트가 있는 폴더 기준). 그 전까지는 대체 텍스트가 들어갑니다

## 검사 보고

check-heading = dossier 검사: { $path }
column-item = 항목
column-status = 상태
column-files = 파일
column-pages = 쪽
status-ok = 정상
status-warning = 확인 필요
status-missing = 없음
status-invalid = 사용 불가
label-optional = 선택
check-unclaimed = 어느 항목에도 속하지 않는 파일:
check-recipients = 받는 곳:
check-ready = 준비됨
check-not_ready = 준비 안 됨: { $items }
check-summary-ready = 준비됨: 필요한 서류가 모두 있고 문제가 없습니다
check-summary-not_ready = 준비 안 됨: 없는 항목 { $missing }개, 사용할 수 없는 항목 { $invalid }개
prompt-password = { $student }: `{ $item }`({ $title })의 잠긴 파일 비밀번호:{" "}

## 파일 살펴보기

inspect-kind = 종류:  {" "}
inspect-bytes = 크기:  {" "}
inspect-sha256 = sha256:{" "}
inspect-rejected = 거부:  {" "}
inspect-warning = 경고:  {" "}
inspect-pdf = PDF { $version }, { $pages ->
        [-1] 쪽 수 모름
       *[other] { $pages }쪽
    }, { $encryption }{ $repaired ->
        [yes] , 복구함
       *[no] {""}
    }
inspect-pdf-plain = 잠기지 않음
inspect-pdf-encrypted-opened = 잠김({ $method }), 열었음
inspect-pdf-encrypted-locked = 잠김({ $method }), 열지 못함
inspect-image = 이미지 { $format } { $width }×{ $height } 픽셀, { $color } { $bits }비트{ $alpha ->
        [yes] , 투명도 있음
       *[no] {""}
    }{ $orientation ->
        [0] {""}
       *[other] , EXIF 방향 { $orientation }
    }
inspect-text = 텍스트, { $encoding }, { $lines }줄{ $crlf ->
        [yes] , CRLF
       *[no] {""}
    }
inspect-markdown = 마크다운, { $encoding }, { $lines }줄{ $crlf ->
        [yes] , CRLF
       *[no] {""}
    }

## 만들기

build-state-built = 만들었습니다
build-state-draft = 초안으로 만들었습니다 (자리 표시: { $items })
build-state-not_built = 만들지 않았습니다: { $items } 준비 안 됨
build-state-failed = 만들지 못했습니다: 오류가 있었습니다 (폴더는 그대로입니다)
build-draft-hint = 위의 문제를 고친 뒤 다시 만드세요. 빠진 서류 자리를 표시해 먼저 보내려면 --draft로 만드세요
build-pages = , { $pages }쪽
build-failed = { $error }
build-decrypted = { $file }은(는) 잠긴 파일이라, 받는 사람이 열 수 있도록 병합 PDF와 zip에는 잠금을 푼 파일을 넣었습니다
build-mail = 메일 { $name } { $size } / { $budget }
build-mail-images = 사진 { $count }장을 { $dpi } dpi로, { $before } → { $after }
build-mail-inner = PDF 안의 이미지를 { $dpi } dpi로, { $saved } 줄임
build-mail-copies = 압축 파일의 사진 { $count }장을 줄인 사본으로, { $before } → { $after }
build-over_budget = 첨부를 base64로 인코딩하면 메일 한도 { $budget }를 넘습니다. 큰 파일: { $largest }
build-over_budget-off = 메일이 한도 { $budget }를 넘습니다(fit = "off"라 줄이지 않았습니다). 큰 파일: { $largest }. fit = "auto"로 두면 사진을 줄이거나 메일을 나누어 한도에 맞춥니다
build-document = 항목 `{ $item }`, 파일 `{ $path }`: { $cause }
build-document-hint = 파일을 다시 내보내거나, 항목에서 빼세요
build-again-hint = 다시 만드세요
build-changed = dossier가 실행되는 동안 바뀌었습니다
build-kind_changed = 더 이상 { $kind } 파일이 아닙니다
build-merge_failed = 병합할 수 없습니다: { $reason }
build-proof_failed = 병합 PDF에서 { $page }쪽의 내용이 빠졌습니다 ({ $detail }). 아무것도 쓰지 않았습니다
build-proof_failed-hint = dossier의 버그입니다. 이 파일과 함께 알려 주세요
build-decrypted_copy = 잠금을 푼 사본을 쓸 수 없습니다: { $reason }
build-bundle = 받는 곳 `{ $recipient }`: { $cause }
build-assemble_failed = 병합 PDF를 만들 수 없습니다: { $reason }
build-zip_failed = zip을 쓸 수 없습니다: { $reason }
build-mail_failed = 메일 초안을 쓸 수 없습니다: { $reason }
build-split_failed = `{ $file }`는 가장 작게 줄여도 { $size }이고, 메일에 담으면(base64 인코딩) { $needed }가 되어 한 통의 한도 { $budget }를 넘습니다
build-split-hint = 이 받는 곳의 max_attachment를 늘리거나(Gmail은 "25 MB"), 그 파일은 대용량 첨부 링크로 보내거나, attach = ["pdf"]로 병합 PDF만 보내세요
build-image = 항목 `{ $item }`, 파일 `{ $file }`: 이미지를 준비할 수 없습니다: { $reason }
render-missing_glyph = '{ $char }'({ $code }) 글자를 가진 글꼴이 없어 네모로 보입니다
dry-run-subject = 제목: { $subject }
dry-run-attachments = { $name } 첨부: { $list }

## 오류

label-error = 오류:
label-hint = 도움말:
manifest-not_found = `{ $path }`에 매니페스트가 없습니다
manifest-not_found-hint = `dossier init`으로 매니페스트를 만들거나, 매니페스트 경로를 알려 주세요: `dossier check 경로/dossier.toml`
manifest-unreadable = 매니페스트 `{ $path }`를 읽을 수 없습니다: { $reason }
manifest-error = { $location }: { $message }
usage-unknown_recipient = 매니페스트 `{ $manifest }`에 받는 곳 `{ $id }`가 없습니다
usage-unknown_recipient-hint = 받는 곳: { $known }
usage-root_missing = 서류 폴더 `{ $root }`가 없습니다
usage-root_missing-hint = 폴더를 만들거나, `{ $manifest }`의 [bundle]에서 `root`를 서류가 있는 폴더로 바꾸세요
usage-unknown_template = `{ $name }`라는 템플릿이 없습니다
usage-unknown_template-hint = 템플릿: { $known }
usage-manifest_exists = `{ $path }`가 이미 있습니다. init은 매니페스트를 덮어쓰지 않습니다
usage-manifest_exists-hint = 그 파일을 고치거나, 다른 폴더에서 init을 실행하세요
usage-unknown_language = `{ $given }`는 dossier가 쓰는 언어가 아닙니다
usage-unknown_language-hint = ko 또는 en을 쓰세요
usage-path_missing = `{ $path }`에 아무것도 없습니다
usage-path_missing-hint = 받은 zip, 병합 PDF, 메일(.eml) 또는 그것들이 든 폴더를 지정하세요
io-read = `{ $path }`를 읽을 수 없습니다: { $reason }
io-write = `{ $path }`를 쓸 수 없습니다: { $reason }
io-create_folder = 폴더 `{ $path }`를 만들 수 없습니다: { $reason }
io-print = 출력할 수 없습니다: { $reason }
font-no_hangul = 글꼴 `{ $path }`에 한글이 없어, 한글은 dossier에 든 글꼴로 씁니다
font-no_system_korean = `font = "system"`: 이 컴퓨터에 한글 글꼴이 없어 dossier에 든 글꼴을 씁니다
font-unusable = 글꼴 `{ $path }`: { $reason }
font-unusable-hint = [bundle]의 `font`에 한글이 있는 TrueType/OpenType 글꼴 파일을 지정하거나, `font`를 지워 dossier에 든 한글 글꼴을 쓰세요

## 매니페스트 문제 ("dossier.toml:줄:칸: 메시지", 그 줄, 도움말 순서로 보입니다)

manifest-errors = { $path }에서 고칠 곳이 { $count }군데 있습니다. 모두 고친 뒤 다시 실행하세요
manifest-not_utf8 = 매니페스트가 UTF-8 텍스트가 아닙니다
manifest-not_utf8-hint = UTF-8로 저장하세요 (메모장: 다른 이름으로 저장 → 인코딩: UTF-8)
manifest-unquoted_key = `{ $key }` 키는 따옴표로 감싸야 합니다. 따옴표 없는 키에는 영문, 숫자, `-`, `_`만 쓸 수 있습니다
manifest-unquoted_key-hint = "{ $key }" = … 처럼 쓰세요
manifest-dotted_date = 날짜를 `{ $value }`처럼 점으로 쓰면 TOML에서는 날짜가 아니라 잘못된 숫자로 읽힙니다
manifest-dotted_date-hint = { $key } = { $iso }로 쓰거나, 따옴표로 감싸세요: { $key } = "{ $value }"
manifest-backslash = `{ $text }`에서 폴더를 역슬래시(\)로 구분했습니다
manifest-backslash-hint = Windows에서도 폴더는 /로 구분해 쓰세요: "{ $fixed }"
manifest-syntax = TOML 문법에 맞지 않습니다: { $detail }
manifest-syntax-hint = 이 줄의 따옴표, 괄호, 쉼표를 확인하세요
manifest-unknown_key = 여기에는 `{ $key }` 키를 쓸 수 없습니다
manifest-unknown_key-hint = 여기에 쓸 수 있는 키: { $known }
manifest-unknown_key-near-hint = 혹시 `{ $near }` 키를 쓰려던 것인가요? 여기에 쓸 수 있는 키: { $known }
manifest-missing_key = 꼭 있어야 하는 `{ $key }` 키가 없습니다
manifest-missing_key-hint = { $key } = … 를 넣으세요. 무엇을 쓰는지는 README의 매니페스트 설명에 있습니다
manifest-wrong_type = 값의 형식이 맞지 않습니다: { $detail }
manifest-wrong_type-hint = 키마다 값을 어떻게 쓰는지는 README의 매니페스트 설명에 있습니다
manifest-empty_root = `root`가 비어 있습니다
manifest-empty_root-hint = 매니페스트가 있는 폴더를 쓰려면 `root` 줄을 지우세요
manifest-empty_output = `output`이 비어 있습니다
manifest-empty_output-hint = `out` 폴더에 만들려면 `output` 줄을 지우세요
manifest-output_contains_root = `output` 폴더 안에 `root`가 있어, 만들 때 서류를 덮어쓸 수 있습니다
manifest-output_contains_root-hint = `output`은 따로 쓰는 폴더로 정하세요 (예: "out")
manifest-bad_lang = `lang = "{ $value }"`는 dossier가 쓰는 언어가 아닙니다
manifest-bad_lang-hint = lang = "ko"(한국어)나 lang = "en"(영어)으로 쓰세요
manifest-bad_file_name = `file_name = "{ $value }"`는 파일 이름으로 쓸 수 없습니다
manifest-bad_file_name-hint = 폴더 없이 이름만 쓰세요 (/나 \ 없이)
manifest-student_value = [student]의 `{ $key }`에는 값을 하나만 쓸 수 있습니다
manifest-student_value-hint = 글자로 쓰세요: "학과" = "컴퓨터공학과"
manifest-period_reversed = [period]의 끝 날짜({ $end })가 시작 날짜({ $start })보다 앞섭니다
manifest-period_reversed-hint = `start`와 `end`를 서로 바꾸세요
manifest-bad_date = [period]의 `{ $key }` 값이 날짜가 아닙니다
manifest-bad_date-hint = { $key } = 2023-03-02처럼 쓰세요
manifest-bad_id = { $section ->
        [item] 항목
       *[recipient] 받는 곳
    } id에는 영문, 숫자, `-`, `_`만 쓸 수 있습니다: `{ $id }`
manifest-bad_id-hint = id는 폴더 이름과 JSON 키로 쓰입니다. 한글 이름은 `title`에 쓰세요
manifest-duplicate_id = { $section ->
        [item] 항목
       *[recipient] 받는 곳
    } id를 두 번 썼습니다: `{ $id }`
manifest-duplicate_id-hint = { $section ->
        [item] 항목마다
       *[recipient] 받는 곳마다
    } 다른 id를 쓰세요
manifest-no_kinds = 항목 `{ $item }`의 `kinds`가 비어 있습니다
manifest-no_kinds-hint = "pdf", "image", "text" 중 하나 이상을 넣으세요
manifest-per_month_without_period = 항목 `{ $item }`에 per_month가 있는데 매니페스트에 [period]가 없습니다
manifest-per_month_without_period-hint = [period]를 넣고 start = 2023-03-02, end = 2023-06-30처럼 실습 기간을 쓰세요
manifest-max_below_min = 항목 `{ $item }`의 max = { $max }가 min = { $min }보다 작습니다
manifest-max_below_min-hint = max를 min 이상으로 하세요
manifest-max_zero = 항목 `{ $item }`의 max가 0입니다
manifest-max_zero-hint = 개수에 상한이 없으면 `max` 줄을 지우세요
manifest-pages_max_below_min = 항목 `{ $item }`의 pages.max = { $max }가 pages.min = { $min }보다 작습니다
manifest-pages_max_below_min-hint = pages.max를 pages.min 이상으로 하세요
manifest-bad_password_env = `password_env = "{ $name }"`는 환경 변수 이름이 아닙니다
manifest-bad_password_env-hint = password_env = "PAYSLIP_PASSWORD"처럼 변수 이름을 쓰세요. 비밀번호 자체는 매니페스트에 쓰지 마세요
manifest-size_not_a_number = `{ $key } = "{ $text }"`는 크기가 아닙니다 (숫자로 시작해야 합니다)
manifest-size_unit = `{ $unit }` 단위는 쓸 수 없습니다 (B, KB, MB, GB, KiB, MiB, GiB 중 하나를 쓰세요)
manifest-size_too_large = `{ $key } = "{ $text }"` 값이 너무 큽니다
manifest-size_not_positive = `{ $key }` 값은 0보다 커야 합니다
manifest-size-hint = { $key } = "10 MB"처럼 단위를 붙여 쓰세요
manifest-size_without_unit = `{ $key } = { $number }`에 단위가 없어 { $number }바이트로 읽힙니다
manifest-size_without_unit-hint = 단위를 붙여 쓰세요: { $key } = "{ $number } MB"
manifest-empty_files = 항목 `{ $item }`의 `files`가 비어 있습니다
manifest-empty_files-hint = files = ["수료증*"]처럼 파일 이름 패턴을 하나 이상 넣으세요
manifest-empty_glob = 항목 `{ $item }`의 `files`에 빈 문자열이 있습니다
manifest-empty_glob-hint = `files`에서 빈 문자열("")을 지우세요
manifest-glob_outside = 항목 `{ $item }`의 패턴 `{ $glob }`: `root` 폴더 밖을 가리킵니다
manifest-glob_outside-hint = 서류를 root 폴더 안으로 옮기거나, [bundle]에 allow_outside_root = true를 넣으세요
manifest-bad_glob = 항목 `{ $item }`의 패턴 `{ $glob }`에 잘못된 부분이 있습니다 ({ $detail })
manifest-bad_glob-hint = *는 아무 글자 여럿, ?는 아무 글자 하나, **는 아무 폴더나 뜻합니다
manifest-glob_repeats_root = 항목 `{ $item }`의 패턴 `{ $glob }`에 root 폴더 이름(`{ $root }`)이 또 들어 있습니다
manifest-glob_repeats_root-hint = 패턴은 root 폴더 안에서 찾으므로 앞의 폴더를 빼고 "{ $fixed }"로 쓰세요
manifest-recipient_no_items = 받는 곳 `{ $recipient }`의 `items`가 비어 있습니다
manifest-recipient_no_items-hint = 이 받는 곳에 보낼 항목의 id를 넣으세요
manifest-unknown_item = 받는 곳 `{ $recipient }`의 `items`에 쓴 `{ $name }` 항목이 없습니다
manifest-unknown_item-hint = 있는 항목: { $known }
manifest-unknown_item-near-hint = 혹시 `{ $near }` 항목인가요? 있는 항목: { $known }
manifest-item_twice = 받는 곳 `{ $recipient }`의 `items`에 `{ $name }` 항목을 두 번 썼습니다
manifest-item_twice-hint = 한 번만 쓰세요
manifest-no_items = 매니페스트에 [[items]]가 하나도 없습니다
manifest-no_items-hint = 서류마다 [[items]] 표를 넣으세요. `dossier init`이 완성된 예를 만들어 줍니다
manifest-bad_choice = `{ $key } = "{ $value }"`는 쓸 수 없는 값입니다
manifest-bad_choice-hint = { $allowed } 중 하나를 쓰세요
manifest-attach_nothing = `attach = []`이면 메일에 아무것도 붙지 않습니다
manifest-attach_nothing-hint = attach = ["pdf", "zip"](기본), ["pdf"], ["zip"] 중 하나를 쓰세요

## 시작

init-wrote = { $path }를 만들었습니다
init-created = { $path }/ 폴더를 만들었습니다
init-next = 다음: 서류를 이 폴더들에 넣고, [student]와 [period]를 채운 뒤 `dossier check`를 실행하세요

## 만든 쪽 (묶음의 언어)

page-recipient = 제출처: { $recipient }
page-period = 실습 기간
page-period-range = { $start } ~ { $end }
page-documents = 제출 서류
page-draft-banner = 초안 — 아직 제출되지 않은 서류가 있습니다
page-more-items = … 외 { $count }건 (목차 참조)
page-contents = 목차
page-cover = 표지
page-placeholder = 제출 예정: { $title }
page-placeholder-month = 제출 예정: { $month } { $title }
page-placeholder-file = 제출 예정: { $title } ({ $file })
page-placeholder-note = 이 쪽은 아직 제출되지 않은 서류의 자리입니다. 이 묶음은 초안이며, 서류가 갖추어지면 다시 보내드립니다.
page-file-month = { $month } · { $file }
month-label = { $year }년 { $month }월

## 메일 (묶음의 언어)

mail-subject = [{ $short_title }] { $id } { $name }
mail-subject-draft = [초안] [{ $short_title }] { $id } { $name }
mail-draft-mark = [초안]
mail-draft-note = 아직 갖추지 못한 서류가 있는 초안입니다. "제출 예정" 쪽이 그 자리를 표시합니다.
mail-greeting-professor = 교수님께
mail-greeting-office = 학과 사무실 담당자님께
mail-greeting-other = { $recipient } 담당자님께
mail-intro = 안녕하세요. { $id } { $name }입니다.
    「{ $title }」를 보내드립니다.
mail-intro-draft = 안녕하세요. { $id } { $name }입니다.
    「{ $title }」 서류의 초안을 먼저 보내드립니다. 아직 내지 못한 서류는 "제출 예정" 쪽으로 표시해 두었고, 갖추는 대로 다시 보내드리겠습니다.
mail-closing = 감사합니다.
    { $name } 드림
mail-parts = 서류가 커서 메일 { $parts }통으로 나누어 보냅니다. 이 메일은 { $part }번째입니다.
mail-attachments = 첨부 파일:
mail-attached-pdf = { $name } ({ $size }): 모든 서류를 한 파일로 합친 PDF입니다. 휴대폰에서도 바로 열립니다.
mail-attached-zip = { $name } ({ $size }): 원본 파일을 모은 압축 파일입니다.
mail-contents = 압축 파일에 들어 있는 파일:
mail-compacted = 메일 용량에 맞추려고 압축 파일의 다음 사진은 크기를 줄인 사본으로 넣었습니다. 원본이 필요하시면 말씀해 주세요.
mail-checksums = 압축 파일에는 병합 PDF와 위 파일들의 SHA-256 체크섬 목록({ $file })이 함께 들어 있어, 받은 파일이 보낸 파일과 같은지 확인할 수 있습니다.

## Verify (받은 것)

verify-bundle = 학생 { $id } { $name }, { $recipient }({ $recipient_id })용
verify-intact = 온전함: 모든 파일이 기록된 해시와 같습니다
verify-not_intact = 온전하지 않음
verify-complete = 빠짐없음
verify-incomplete = 빠진 것이 있음
verify-months = { $title }: { $months }
verify-summary-ok = 확인 완료: 모든 묶음이 온전하고 빠짐없습니다
verify-summary-problems = 문제가 있는 묶음 또는 파일 { $count }개
verify-not_dossier = dossier 묶음이 아닙니다: { $what }
verify-what-zip = dossier.json이 없는 zip (dossier가 만들지 않았거나 다시 압축됨)
verify-what-pdf = dossier 기록이 들어 있지 않은 PDF (dossier가 만들지 않았거나 다시 인쇄·저장됨)
verify-what-mail = zip이나 PDF가 첨부되지 않은 메일
verify-what-image = 이미지
verify-what-text = 텍스트 파일
verify-what-other = zip도 PDF도 메일도 아닌 파일
verify-unsafe_zip = 거부함, 아무것도 사용하지 않았습니다: 항목 `{ $entry }`{ $reason }
verify-unsafe-traversal = 이(가) 폴더 밖으로 나갑니다 (`..`)
verify-unsafe-absolute = 이(가) 절대 경로입니다
verify-unsafe-symlink = 이(가) 심볼릭 링크입니다
verify-unsafe-duplicate = 이(가) 다른 항목과 이름이 같습니다
verify-unsafe-bomb = 이(가) dossier가 읽는 한도보다 크게 풀립니다 (zip 폭탄?)
verify-unsafe-too_many = : 항목 수가 어떤 묶음보다도 많습니다
verify-unsafe-encrypted = 이(가) 암호화되어 있습니다 (dossier는 항목을 암호화하지 않습니다)
verify-damaged = 읽을 수 없습니다: { $reason }
verify-record_unreadable = dossier.json을 읽을 수 없습니다: { $reason }
verify-changed = `{ $file }`이(가) 바뀌었습니다: 기록된 해시와 다릅니다
verify-file_missing = `{ $file }`이(가) 없습니다
verify-file_missing-item = { $item }의 `{ $file }`이(가) 없습니다
verify-extra = `{ $file }`은(는) 묶음에 없던 파일입니다 (나중에 추가됨?)
verify-no_checksums = zip에 { $file }이(가) 없습니다
verify-pages = 병합 PDF가 { $found }쪽인데 기록에는 { $expected }쪽입니다
verify-item_missing = { $title }(`{ $item }`)이(가) 없습니다
verify-month_missing = { $month } { $title }이(가) 없습니다
verify-draft = 초안(DRAFT) 묶음입니다: 빠진 서류 대신 안내 쪽이 들어 있습니다
verify-other_recipient = `{ $found }`용으로 만든 묶음을 `{ $expected }`의 목록으로 확인했습니다
verify-short-missing = { $what } 없음
verify-short-changed = { $what } 바뀜
verify-short-draft = 초안(DRAFT)
verify-short-extra = { $what } 추가됨

## Cohort table

cohort-title = dossier: 제출 현황
cohort-column-id = 학번
cohort-column-name = 이름
cohort-column-problems = 문제
cohort-ready = 준비됨
cohort-not_ready = 준비 안 됨
cohort-summary = 학생 { $students }명, 문제 있는 학생 { $problems }명
cohort-filter = 문제 있는 학생만
cohort-details = 자세히
cohort-short-invalid = { $what } 사용할 수 없음
cohort-detail = { $item }: { $message }
