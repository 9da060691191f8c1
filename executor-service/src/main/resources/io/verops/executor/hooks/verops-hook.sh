#!/bin/bash -p
# verops hook for one codex run: PreToolUse gates every tool call against the operation's command policy,
# PostToolUse flags destructive output and error floods. Generated; see docs/hooks.md.
# Usage: verops-hook.sh pre|post|self-test, the hook payload (JSON) on stdin.
# A PreToolUse block is exit 2 with the reason on stderr. Any error of this script blocks too: it never fails open.

#@VEROPS_POLICY@

# ---- everything below is fixed; only the policy block above is generated -----------------------------------------

H_MODE=${1:-}
H_DONE=0
# Whatever happens (a fatal expansion error, an unexpected exit), a PreToolUse call that was not explicitly decided
# is blocked, with a reason on stderr.
trap 'if (( H_DONE == 0 )); then printf "verops hook: internal error (status %s); the tool call is blocked\n" "$?" >&2; exit 2; fi' EXIT
export LC_ALL=C TZ=UTC
set -f
shopt -s extglob
shopt -u nocasematch
umask 077

H_MAX_PRE_BYTES=65536          # a PreToolUse payload larger than this is blocked (too large to check)
H_MAX_POST_BYTES=4194304       # a larger PostToolUse payload is not analysed (recorded as too large)
H_MAX_LOGGED_COMMAND=16384     # bytes of the command kept in a decision line
H_DESTRUCTIVE_RE='(^|[^A-Za-z0-9_])(deleted|dropped|truncated)([^A-Za-z0-9_]|$)'

# ---- small helpers --------------------------------------------------------------------------------------------------

# json_quote TEXT -> REPLY: TEXT as a JSON string literal (bytes >= 0x80 are passed through as they are).
json_quote() {
    local s=$1 c i hex
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    if [[ $s == *[$'\x01'-$'\x1f'$'\x7f']* ]]; then
        s=${s//$'\n'/\\n}
        s=${s//$'\t'/\\t}
        s=${s//$'\r'/\\r}
        for (( i = 1; i < 32; i++ )); do
            printf -v hex '%02x' "$i"
            printf -v c "\\x$hex"
            [[ $s == *"$c"* ]] && s=${s//"$c"/\\u00$hex}
        done
        s=${s//$'\x7f'/\\u007f}
    fi
    REPLY="\"$s\""
}

# clip TEXT MAX -> REPLY: at most MAX bytes of TEXT, never ending inside a UTF-8 sequence; CLIPPED=1 when cut.
clip() {
    local s=$1 max=$2 b k len
    CLIPPED=0
    if (( ${#s} <= max )); then REPLY=$s; return; fi
    CLIPPED=1
    s=${s:0:max}
    # drop a trailing incomplete UTF-8 sequence: walk back over continuation bytes to the lead byte
    for (( k = 1; k <= 4 && k <= ${#s}; k++ )); do
        printf -v b '%d' "'${s: -k:1}"
        (( b < 0 )) && (( b += 256 ))
        if (( b < 0x80 )); then break; fi
        if (( b >= 0xC0 )); then
            if (( b >= 0xF0 )); then len=4; elif (( b >= 0xE0 )); then len=3; else len=2; fi
            (( len > k )) && s=${s:0:${#s}-k}
            break
        fi
    done
    REPLY=$s
}

# utf8 CODEPOINT -> REPLY: the UTF-8 bytes of one code point.
utf8() {
    local c=$1 f
    if (( c < 0x80 )); then
        printf -v f '\\x%02x' "$c"
    elif (( c < 0x800 )); then
        printf -v f '\\x%02x\\x%02x' $(( 0xC0 | c >> 6 )) $(( 0x80 | (c & 0x3F) ))
    elif (( c < 0x10000 )); then
        printf -v f '\\x%02x\\x%02x\\x%02x' $(( 0xE0 | c >> 12 )) $(( 0x80 | (c >> 6 & 0x3F) )) $(( 0x80 | (c & 0x3F) ))
    else
        printf -v f '\\x%02x\\x%02x\\x%02x\\x%02x' $(( 0xF0 | c >> 18 )) $(( 0x80 | (c >> 12 & 0x3F) )) \
            $(( 0x80 | (c >> 6 & 0x3F) )) $(( 0x80 | (c & 0x3F) ))
    fi
    printf -v REPLY "$f"
}

# json_unescape RAW -> REPLY: the text of a JSON string body (between its quotes). Sets J_NUL=1 when it holds
# U+0000; returns 1 on an invalid escape. Linear: splits on backslashes instead of pattern substitution.
json_unescape() {
    local raw=$1 p i n hex code lo rest
    if [[ $raw != *\\* ]]; then REPLY=$raw; return 0; fi
    local IFS='\'
    local -a parts out
    parts=( ${raw}x )
    n=${#parts[@]}
    parts[n-1]=${parts[n-1]%x}
    # the common case (no \\, no \u, only valid escapes): every part but the first starts with its escape letter
    # (\" and \/ need nothing more), and one substitution over the whole array per letter decodes them all
    if [[ $raw != *'\\'* && $raw != *'\u'* && $raw != *\\[!ntrbf/\"]* ]]; then
        # a sentinel keeps the first part (plain text) from being taken for an escape
        parts[0]="x${parts[0]}"
        [[ $raw == *'\t'* ]] && parts=("${parts[@]/#t/$'\t'}")
        [[ $raw == *'\r'* ]] && parts=("${parts[@]/#r/$'\r'}")
        [[ $raw == *'\b'* ]] && parts=("${parts[@]/#b/$'\b'}")
        [[ $raw == *'\f'* ]] && parts=("${parts[@]/#f/$'\f'}")
        IFS=
        REPLY="${parts[*]/#n/$'\n'}"
        REPLY=${REPLY#x}
        return 0
    fi
    out=("${parts[0]}")
    for (( i = 1; i < n; i++ )); do
        p=${parts[i]}
        if [[ -z $p ]]; then
            # an escaped backslash: the next part is plain text
            out+=('\' "${parts[i+1]:-}")
            (( i++ ))
            continue
        fi
        case ${p:0:1} in
            n) out+=($'\n' "${p:1}") ;;
            t) out+=($'\t' "${p:1}") ;;
            r) out+=($'\r' "${p:1}") ;;
            b) out+=($'\b' "${p:1}") ;;
            f) out+=($'\f' "${p:1}") ;;
            /) out+=("/${p:1}") ;;
            '"') out+=("\"${p:1}") ;;
            u)
                hex=${p:1:4}
                [[ $hex == [0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f] ]] || return 1
                code=$(( 16#$hex ))
                rest=${p:5}
                if (( code >= 0xD800 && code <= 0xDBFF )); then
                    lo=${parts[i+1]:-}
                    if [[ -z $rest && $lo == u[dD][c-fC-F][0-9A-Fa-f][0-9A-Fa-f]* ]]; then
                        code=$(( 0x10000 + ((code - 0xD800) << 10) + (16#${lo:1:4} - 0xDC00) ))
                        rest=${lo:5}
                        (( i++ ))
                    else
                        code=0xFFFD
                    fi
                elif (( code >= 0xDC00 && code <= 0xDFFF )); then
                    code=0xFFFD
                fi
                if (( code == 0 )); then
                    J_NUL=1
                    out+=("$rest")
                else
                    utf8 "$code"
                    out+=("$REPLY" "$rest")
                fi
                ;;
            *) return 1 ;;
        esac
    done
    IFS=
    REPLY="${out[*]}"
    return 0
}

# ---- the payload ----------------------------------------------------------------------------------------------------

# json_parse PAYLOAD: a linear walk over the JSON object (split on quotes). Sets J_TOOL_NAME, J_EVENT, J_TOOL_USE_ID,
# J_COMMAND (raw string body; J_COMMAND_KIND string|other|missing), J_INPUT_RAW and J_RESPONSE_RAW (the raw bodies of
# every string inside tool_input / tool_response, one a line). Returns 1 with J_ERROR when it is not a JSON object.
json_parse() {
    local payload=$1
    J_TOOL_NAME= J_EVENT= J_TOOL_USE_ID= J_COMMAND= J_COMMAND_KIND=missing J_INPUT_RAW= J_RESPONSE_RAW= J_ERROR=
    local IFS='"'
    local -a parts
    parts=( ${payload}x )
    local n=${#parts[@]} k p c j len in_str=0 cur= expect=value stack= key= depth=0 region= tb
    parts[n-1]=${parts[n-1]%x}
    local -a keys=() pieces=()
    local seen=' '
    for (( k = 0; k < n; k++ )); do
        p=${parts[k]}
        if (( in_str )); then
            if [[ ${p: -1} == '\' ]]; then
                tb=${p##*[!\\]}
                [[ $p == +(\\) ]] && tb=$p
                if (( ${#tb} % 2 == 1 )); then
                    pieces+=("$p" '"')
                    continue
                fi
            fi
            if (( ${#pieces[@]} )); then
                pieces+=("$p")
                IFS=
                cur="${pieces[*]}"
                IFS='"'
                pieces=()
            else
                cur=$p
            fi
            in_str=0
            # a complete string: a key or a value
            if [[ $expect == key ]]; then
                key=$cur
                keys[depth]=$cur
                expect=colon
                if (( depth == 1 )); then
                    if [[ $seen == *" $cur "* ]]; then J_ERROR="key '$cur' appears twice"; return 1; fi
                    seen+="$cur "
                fi
            elif [[ $expect == value ]]; then
                if (( depth == 1 )); then
                    case ${keys[1]} in
                        tool_name) J_TOOL_NAME=$cur ;;
                        hook_event_name) J_EVENT=$cur ;;
                        tool_use_id) J_TOOL_USE_ID=$cur ;;
                        tool_input) J_COMMAND_KIND=other; J_INPUT_RAW+=$cur$'\n' ;;
                        tool_response) J_RESPONSE_RAW+=$cur$'\n' ;;
                    esac
                elif (( depth >= 2 )); then
                    if [[ $region == tool_input ]]; then
                        J_INPUT_RAW+=$cur$'\n'
                        if (( depth == 2 )) && [[ ${stack:1:1} == o && ${keys[2]} == command ]]; then
                            J_COMMAND=$cur
                            J_COMMAND_KIND=string
                        fi
                    elif [[ $region == tool_response ]]; then
                        J_RESPONSE_RAW+=$cur$'\n'
                    fi
                fi
                expect=after
            else
                J_ERROR='a string where none may be'; return 1
            fi
            cur=
            continue
        fi
        # structural text between two strings
        len=${#p}
        for (( j = 0; j < len; j++ )); do
            c=${p:j:1}
            case $c in
                ' '|$'\t'|$'\n'|$'\r') ;;
                '{')
                    [[ $expect == value ]] || { J_ERROR="unexpected '{'"; return 1; }
                    (( depth == 1 )) && region=${keys[1]}
                    if (( depth == 1 )) && [[ ${keys[1]} == tool_input ]]; then J_COMMAND_KIND=other; fi
                    stack+=o; (( depth++ )); expect=key ;;
                '[')
                    [[ $expect == value ]] || { J_ERROR="unexpected '['"; return 1; }
                    (( depth == 1 )) && region=${keys[1]}
                    if (( depth == 1 )) && [[ ${keys[1]} == tool_input ]]; then J_COMMAND_KIND=other; fi
                    stack+=a; (( depth++ )); expect=value ;;
                '}'|']')
                    if [[ $c == '}' ]]; then
                        [[ ${stack: -1} == o && ( $expect == after || $expect == key ) ]] || { J_ERROR="unexpected '}'"; return 1; }
                    else
                        [[ ${stack: -1} == a && ( $expect == after || $expect == value ) ]] || { J_ERROR="unexpected ']'"; return 1; }
                    fi
                    stack=${stack:0:${#stack}-1}; (( depth-- ))
                    (( depth == 1 )) && region=
                    expect=after
                    (( depth == 0 )) && expect=end ;;
                ':')
                    [[ $expect == colon ]] || { J_ERROR="unexpected ':'"; return 1; }
                    expect=value ;;
                ',')
                    [[ $expect == after ]] || { J_ERROR="unexpected ','"; return 1; }
                    if [[ ${stack: -1} == o ]]; then expect=key; else expect=value; fi ;;
                [-0-9tfn])
                    [[ $expect == value ]] || { J_ERROR="unexpected '$c'"; return 1; }
                    local scalar=${p:j}
                    scalar=${scalar%%[^-+.0-9eEtruefalsn]*}
                    [[ $scalar == @(true|false|null|?(-)@(0|[1-9]*([0-9]))?(.+([0-9]))?([eE]?([-+])+([0-9]))) ]] \
                        || { J_ERROR="bad literal '$scalar'"; return 1; }
                    if (( depth == 1 )) && [[ ${keys[1]} == tool_input ]]; then J_COMMAND_KIND=other; fi
                    (( j += ${#scalar} - 1 ))
                    expect=after ;;
                *) J_ERROR="unexpected character"; return 1 ;;
            esac
        done
        if (( k < n - 1 )); then
            [[ $expect == key || $expect == value ]] || { J_ERROR='a string where none may be'; return 1; }
            (( depth >= 1 )) || { J_ERROR='not a JSON object'; return 1; }
            in_str=1
            cur=
        fi
    done
    (( in_str == 0 )) || { J_ERROR='unterminated string'; return 1; }
    [[ $expect == end && -z $stack ]] || { J_ERROR='truncated or not a JSON object'; return 1; }
    return 0
}

# ---- the shell command: which programs run, where output goes ---------------------------------------------------------

# lex_command TEXT: a quote-aware scan of a bash command. Sets L_PROGRAMS (literal program words, in order),
# L_DYNAMIC (program words computed at run time), L_REDIRECTS (files written by redirections), L_VARS (name/value
# pairs of literal variable assignments) and L_PROBLEM (set when the command uses a construct this scan does not
# follow; then nothing about it can be vouched for).
lex_command() {
    S=$1 I=0 N=${#1}
    L_PROGRAMS=() L_DYNAMIC=() L_REDIRECTS=() L_PROBLEM= L_HEREDOCS=() L_VARS=()
    lex_list '' || true
    if [[ -z $L_PROBLEM && ${#L_HEREDOCS[@]} -gt 0 ]]; then
        L_PROBLEM="a here-document without its body"
    fi
}

lex_problem() {
    [[ -z $L_PROBLEM ]] && L_PROBLEM=$1
    I=$N
    return 1
}

# Scans a command list until TERM (''=end, ')' or '`'); recursive for $(...), `...`, (...) and <(...).
lex_list() {
    local term=$1 c c2 chunk
    local word= lit= inword=0 dyn=0 quoted=0
    local expect=1 redir=0 skip= depth=0 prog=
    while (( I < N )); do
        c=${S:I:1}
        case $c in
            ' '|$'\t')
                lex_end_word || return 1
                (( I++ )) ;;
            $'\n')
                lex_end_word || return 1
                [[ $skip == '[[' ]] || { expect=1; skip= prog=; }
                (( I++ ))
                lex_heredoc_bodies || return 1 ;;
            ';'|'&'|'|')
                c2=${S:I:2}
                if [[ $c2 == '&>' ]]; then
                    lex_end_word || return 1
                    if [[ ${S:I:3} == '&>>' ]]; then (( I += 3 )); else (( I += 2 )); fi
                    redir=1
                    continue
                fi
                lex_end_word || return 1
                if [[ $skip == '[[' && ( $c2 == '&&' || $c2 == '||' ) ]]; then (( I += 2 )); continue; fi
                if [[ $c2 == ';;' || $c2 == ';&' ]]; then lex_problem "a case statement"; return 1; fi
                if [[ $c2 == '&&' || $c2 == '||' || $c2 == '|&' ]]; then (( I += 2 )); else (( I++ )); fi
                (( redir )) && { lex_problem "a redirection without a target"; return 1; }
                expect=1; skip= prog= ;;
            '(')
                if [[ $skip == '[[' ]]; then (( I++ )); continue; fi
                if (( inword )); then lex_problem "a function definition or array assignment"; return 1; fi
                if [[ ${S:I:2} == '((' ]]; then
                    (( expect )) || { lex_problem "'((' in an argument"; return 1; }
                    lex_arith || return 1
                    expect=0
                    continue
                fi
                (( expect )) || { lex_problem "a '(' after a command word"; return 1; }
                (( I++ ))
                lex_list ')' || return 1
                expect=0 ;;
            ')')
                if [[ $skip == '[[' ]]; then (( I++ )); continue; fi
                lex_end_word || return 1
                if [[ $term == ')' ]]; then (( I++ )); return 0; fi
                lex_problem "an unbalanced ')'"; return 1 ;;
            '`')
                if [[ $term == '`' ]]; then lex_end_word || return 1; (( I++ )); return 0; fi
                (( I++ ))
                lex_list '`' || return 1
                inword=1 dyn=1 word+='`...`' ;;
            '<'|'>')
                if [[ $skip == '[[' ]]; then word+=$c lit+=$c inword=1; (( I++ )); continue; fi
                lex_redirection || return 1 ;;
            "'")
                lex_single_quote || return 1 ;;
            '"')
                (( I++ ))
                lex_double_quote || return 1 ;;
            '\')
                c2=${S:I+1:1}
                if [[ $c2 == $'\n' ]]; then (( I += 2 )); continue; fi
                word+="\\$c2" lit+=$c2 inword=1 quoted=1
                (( I += 2 )) ;;
            '$')
                lex_dollar || return 1 ;;
            '#')
                if (( inword )); then word+=$c lit+=$c; (( I++ )); continue; fi
                chunk=${S:I}
                chunk=${chunk%%$'\n'*}
                (( I += ${#chunk} )) ;;
            *)
                # a run of ordinary characters at once
                chunk=${S:I:256}
                chunk=${chunk%%[[:space:];&|()\`<>\'\"\\\$#]*}
                [[ -z $chunk ]] && chunk=$c
                word+=$chunk lit+=$chunk inword=1
                (( I += ${#chunk} )) ;;
        esac
    done
    lex_end_word || return 1
    (( redir )) && { lex_problem "a redirection without a target"; return 1; }
    if [[ -n $term ]]; then lex_problem "an unterminated '$term' substitution or subshell"; return 1; fi
    if [[ $skip == '[[' ]]; then lex_problem "an unterminated '[['"; return 1; fi
    return 0
}

# Ends the current word (uses the caller's locals): a program, an argument, or a redirection target.
lex_end_word() {
    (( inword )) || return 0
    local w=$word l=$lit d=$dyn q=$quoted
    word= lit= inword=0 dyn=0 quoted=0
    if (( redir )); then
        case $redir in
            1) L_REDIRECTS+=("$l") ;;
            3) L_HEREDOCS+=("$q:$l") ;;
            4) [[ $l == +([0-9]) || $l == - || $l == +([0-9])- ]] || L_REDIRECTS+=("$l") ;;
        esac
        redir=0
        return 0
    fi
    if [[ $skip == '[[' ]]; then
        [[ $w == ']]' ]] && { skip=; expect=0; }
        return 0
    fi
    [[ $skip == for ]] && return 0
    # an assignment: before the program, or an argument of export/declare/typeset/local/readonly
    if [[ $w == [A-Za-z_]*([A-Za-z0-9_])?(\[*\])?(+)=* ]] && { (( expect )) || [[ $prog == @(export|declare|typeset|local|readonly) ]]; }; then
        local name=${w%%[[+=]*}
        case $name in
            PATH|LD_*|BASH_ENV|ENV|IFS|SHELLOPTS|BASHOPTS|PS4|PROMPT_COMMAND|BASH_LOADABLES_PATH|GCONV_PATH)
                lex_problem "an assignment to $name, which changes what a command runs"; return 1 ;;
        esac
        (( d )) || L_VARS+=("$name" "${l#*=}")
        return 0
    fi
    (( expect )) || return 0
    if (( ! q && ! d )); then
        case $w in
            '!'|'{'|then|do|else|elif|if|while|until|time) return 0 ;;
            '}'|fi|done) expect=0; return 0 ;;
            for|select) skip=for; expect=0; return 0 ;;
            '[[') skip='[['; return 0 ;;
            case|esac|function|coproc|'((') lex_problem "a '$w' construct"; return 1 ;;
        esac
    fi
    if (( d )); then
        L_DYNAMIC+=("$w")
    else
        L_PROGRAMS+=("$l")
    fi
    prog=$l
    expect=0
    return 0
}

lex_single_quote() {
    local rest=${S:I+1}
    local body=${rest%%\'*}
    [[ $body == "$rest" ]] && { lex_problem "an unterminated single quote"; return 1; }
    word+="'$body'" lit+=$body inword=1 quoted=1
    (( I += ${#body} + 2 ))
}

# After the opening double quote.
lex_double_quote() {
    local c chunk
    inword=1 quoted=1
    word+='"'
    while (( I < N )); do
        c=${S:I:1}
        case $c in
            '"') word+='"'; (( I++ )); return 0 ;;
            '\')
                local c2=${S:I+1:1}
                case $c2 in
                    '$'|'`'|'"'|'\') word+="\\$c2" lit+=$c2 ;;
                    $'\n') ;;
                    *) word+="\\$c2" lit+="\\$c2" ;;
                esac
                (( I += 2 )) ;;
            '$') lex_dollar || return 1 ;;
            '`')
                (( I++ ))
                lex_list '`' || return 1
                dyn=1 word+='`...`' ;;
            *)
                chunk=${S:I:256}
                chunk=${chunk%%[\"\\\$\`]*}
                word+=$chunk lit+=$chunk
                (( I += ${#chunk} )) ;;
        esac
    done
    lex_problem "an unterminated double quote"
}

# At a '$': $(...), $((...)), ${...}, $'...', $"...", $name, or a plain '$'.
lex_dollar() {
    local c2=${S:I+1:1} rest body
    inword=1
    case $c2 in
        '(')
            if [[ ${S:I+2:1} == '(' ]]; then
                (( I++ ))
                lex_arith || return 1
                dyn=1 word+='$((...))'
                return 0
            fi
            (( I += 2 ))
            lex_list ')' || return 1
            dyn=1 word+='$(...)' ;;
        '{')
            rest=${S:I+2}
            body=${rest%%\}*}
            [[ $body == "$rest" ]] && { lex_problem "an unterminated \${"; return 1; }
            [[ $body == *[\$\`\(\{]* ]] && { lex_problem "a nested expansion inside \${...}"; return 1; }
            dyn=1 word+="\${$body}"
            (( I += ${#body} + 3 )) ;;
        "'")
            # ANSI-C quoting: ends at the first quote not escaped by a backslash
            local j=$(( I + 2 )) ch
            body=
            while (( j < N )); do
                ch=${S:j:1}
                if [[ $ch == '\' ]]; then body+=${S:j:2}; (( j += 2 )); continue; fi
                [[ $ch == "'" ]] && break
                body+=$ch
                (( j++ ))
            done
            (( j < N )) || { lex_problem "an unterminated \$'...'"; return 1; }
            word+="\$'$body'" lit+=$body quoted=1
            [[ $body == *\\* ]] && dyn=1
            (( I = j + 1 )) ;;
        '"')
            (( I += 2 ))
            word+='$'
            lex_double_quote || return 1 ;;
        [A-Za-z_])
            rest=${S:I+1:256}
            body=${rest%%[^A-Za-z0-9_]*}
            dyn=1 word+="\$$body"
            (( I += ${#body} + 1 )) ;;
        [0-9@*#?$!-])
            dyn=1 word+="\$$c2"
            (( I += 2 )) ;;
        *)
            word+='$' lit+='$'
            (( I++ )) ;;
    esac
}

# At '((' (or '$((' with I on the second char): skips an arithmetic expression; a substitution inside is refused.
lex_arith() {
    local j=$(( I + 2 )) d=2 ch body=
    while (( j < N && d > 0 )); do
        ch=${S:j:1}
        case $ch in
            '(') (( d++ )) ;;
            ')') (( d-- )) ;;
            '`'|'$') [[ $ch == '`' || ${S:j+1:1} == '(' ]] && { lex_problem "a command substitution inside an arithmetic expression"; return 1; } ;;
        esac
        (( j++ ))
    done
    (( d == 0 )) || { lex_problem "an unterminated arithmetic expression"; return 1; }
    I=$j
}

# At '<' or '>': reads the operator; the next word is its target.
lex_redirection() {
    # a word made only of digits (or {name}) right before the operator is a file descriptor number
    if (( inword )); then
        if (( ! quoted && ! dyn )) && [[ $word == +([0-9]) || $word == \{+([A-Za-z0-9_])\} ]]; then
            word= lit= inword=0
        else
            lex_end_word || return 1
        fi
    fi
    (( redir )) && { lex_problem "a redirection without a target"; return 1; }
    local op3=${S:I:3} op2=${S:I:2}
    case $op3 in
        '<<<') redir=2; (( I += 3 )); return 0 ;;
        '<<-') redir=3; (( I += 3 )); return 0 ;;
    esac
    case $op2 in
        '<<') redir=3; (( I += 2 )) ;;
        '<>') redir=1; (( I += 2 )) ;;
        '<&') redir=2; (( I += 2 )) ;;
        '>&') redir=4; (( I += 2 )) ;;
        '>>'|'>|') redir=1; (( I += 2 )) ;;
        '<('|'>(')
            (( I += 2 ))
            lex_list ')' || return 1
            inword=1 dyn=1 word+='<(...)' ;;
        *)
            if [[ ${S:I:1} == '<' ]]; then redir=2; else redir=1; fi
            (( I++ )) ;;
    esac
    return 0
}

# At the start of the line after a here-document operator: skips each pending body up to its delimiter line.
lex_heredoc_bodies() {
    local h quoted delim line rest
    (( ${#L_HEREDOCS[@]} )) || return 0
    for h in "${L_HEREDOCS[@]}"; do
        quoted=${h%%:*}
        delim=${h#*:}
        while (( I < N )); do
            rest=${S:I}
            line=${rest%%$'\n'*}
            (( I += ${#line} + 1 ))
            [[ ${line##+($'\t')} == "$delim" ]] && continue 2
            if (( ! quoted )) && [[ $line == *'$('* || $line == *'`'* ]]; then
                lex_problem "a command substitution inside an unquoted here-document"; return 1
            fi
        done
    done
    L_HEREDOCS=()
    return 0
}

# ---- decisions ------------------------------------------------------------------------------------------------------

H_RULES=() H_REASONS=() H_MATCH=

# fire RULE REASON [MATCH]
fire() {
    H_RULES+=("$1")
    H_REASONS+=("$2")
    [[ -z $H_MATCH && -n ${3:-} ]] && H_MATCH=$3
}

now() {
    local t us
    printf -v t '%(%Y-%m-%dT%H:%M:%S)T' -1
    us=${EPOCHREALTIME:-0.000000}
    us=${us#*.}000
    REPLY="$t.${us:0:3}Z"
}

# log_decision TYPE HOOK EXTRA_JSON: appends one JSON line to the decisions log; returns 1 when it cannot.
log_decision() {
    local type=$1 hook=$2 extra=$3 line r rules=
    now; local time=$REPLY
    json_quote "${H_RULES[0]}"; local rule=$REPLY
    for r in "${H_RULES[@]}"; do json_quote "$r"; rules+=${rules:+,}$REPLY; done
    json_quote "${H_REASONS[0]}"; local reason=$REPLY
    json_quote "$J_TOOL_NAME"; local tool=$REPLY
    json_quote "$J_TOOL_USE_ID"; local id=$REPLY
    clip "$H_COMMAND" "$H_MAX_LOGGED_COMMAND"; local truncated=$CLIPPED
    json_quote "$REPLY"; local command=$REPLY
    json_quote "$H_OPERATION"; local op=$REPLY
    json_quote "$H_PHASE"; local phase=$REPLY
    line="{\"type\":\"$type\",\"hook\":\"$hook\",\"rule\":$rule,\"rules\":[$rules],\"reason\":$reason"
    if [[ -n $H_MATCH ]]; then clip "$H_MATCH" 300; json_quote "$REPLY"; line+=",\"match\":$REPLY"; fi
    line+=",\"tool\":$tool,\"command\":$command"
    (( truncated )) && line+=",\"command_truncated\":true"
    line+="$extra,\"tool_use_id\":$id,\"operation\":$op,\"phase\":$phase,\"time\":\"$time\"}"
    # one write() per line, so that lines of concurrent calls never interleave: bash's printf writes in 4 KiB
    # pieces, cat in one piece up to its 128 KiB buffer
    if (( ${#line} < 4000 )); then
        { printf '%s\n' "$line" >> "$H_LOG"; } 2>/dev/null
    else
        { cat >> "$H_LOG" <<< "$line"; } 2>/dev/null
    fi
}

# ---- PreToolUse -------------------------------------------------------------------------------------------------------

# strip_sql_comments TEXT -> REPLY: /* ... */ replaced by a space, -- up to the end of a line removed.
strip_sql_comments() {
    local t=$1 v= out= line
    while [[ $t == *'/*'* ]]; do
        v+="${t%%'/*'*} "
        t=${t#*'/*'}
        if [[ $t == *'*/'* ]]; then t=${t#*'*/'}; else t=; fi
    done
    v+=$t
    local IFS=$'\n'
    for line in $v; do out+="${line%%--*}"$'\n'; done
    REPLY=$out
}

# flatten TEXT -> REPLY: without "$(echo " and "`echo ", then without quotes, backslashes, $, (), {} and backquotes.
flatten() {
    local t=$1
    [[ $t == *'$(echo '* ]] && t=${t//'$(echo '/}
    [[ $t == *'`echo '* ]] && t=${t//'`echo '/}
    # deleting characters by splitting on them is linear (a pattern substitution is not)
    local IFS=$'\'"\\$(){}`'
    local -a parts
    parts=( ${t}x )
    IFS=
    t="${parts[*]}"
    REPLY=${t%x}
}

# substitute_vars TEXT -> REPLY: ${name} and $name replaced by the literal values assigned in the command
# (longest names first).
substitute_vars() {
    local t=$1 i j best name
    local -a used=()
    for (( j = 0; j < ${#L_VARS[@]} / 2; j++ )); do
        best=-1
        for (( i = 0; i < ${#L_VARS[@]}; i += 2 )); do
            [[ " ${used[*]} " == *" $i "* ]] && continue
            if (( best < 0 )) || (( ${#L_VARS[i]} > ${#L_VARS[best]} )); then best=$i; fi
        done
        used+=("$best")
        name=${L_VARS[best]}
        t=${t//"\${$name}"/${L_VARS[best+1]}}
        t=${t//"\$$name"/${L_VARS[best+1]}}
    done
    REPLY=$t
}

# sql_strip_literals SQL -> REPLY: the SQL of one sqlite3 argument with the contents of its string literals taken
# out ('' left), as sqlite tokenizes it: a quote inside a comment or a quoted identifier does not open a literal.
# Comments and identifiers are kept. Status 1 when a literal, quoted identifier or block comment is not closed.
sql_strip_literals() {
    local s=$1 out= c chunk rest body
    while [[ -n $s ]]; do
        chunk=${s%%[\'\"\`\[/-]*}
        out+=$chunk
        s=${s:${#chunk}}
        [[ -z $s ]] && break
        c=${s:0:1}
        case $c in
            "'")
                # a literal ends at a quote that is not doubled
                rest=${s:1}
                while :; do
                    [[ $rest == *"'"* ]] || return 1
                    rest=${rest#*\'}
                    [[ ${rest:0:1} == "'" ]] || break
                    rest=${rest:1}
                done
                out+="''"
                s=$rest ;;
            '"'|'`')
                rest=${s:1}
                body=
                while :; do
                    [[ $rest == *"$c"* ]] || return 1
                    body+=${rest%%"$c"*}
                    rest=${rest#*"$c"}
                    [[ ${rest:0:1} == "$c" ]] || break
                    body+=$c$c
                    rest=${rest:1}
                done
                out+=$c$body$c
                s=$rest ;;
            '[')
                rest=${s:1}
                [[ $rest == *']'* ]] || return 1
                out+="[${rest%%]*}]"
                s=${rest#*]} ;;
            '-')
                if [[ ${s:1:1} == - ]]; then
                    if [[ $s == *$'\n'* ]]; then out+=${s%%$'\n'*}$'\n'; s=${s#*$'\n'}; else out+=$s; s=; fi
                else
                    out+=-; s=${s:1}
                fi ;;
            '/')
                if [[ ${s:1:1} == '*' ]]; then
                    rest=${s:2}
                    [[ $rest == *'*/'* ]] || return 1
                    out+="/*${rest%%'*/'*}*/"
                    s=${rest#*'*/'}
                else
                    out+=/; s=${s:1}
                fi ;;
        esac
    done
    REPLY=$out
}

# sql_data_free TEXT -> REPLY, status 0 when TEXT is a plain sqlite3 call (every argument a plain word or one
# single-quoted shell word, '\'' for a quote inside): the same call with the contents of the SQL string literals of
# each argument taken out. sqlite3 runs each argument as SQL on its own, and to sqlite a literal is data, never
# syntax: a team named  ops'; DROP TABLE users; --  is a team name. Anything else is left whole (status 1).
sql_data_free() {
    local t=$1 out w body lead
    local re_word="^([[:space:]]+)('([^']|'\\\\'')*'|[A-Za-z0-9_./@:+=-]+)"
    [[ $t =~ ^[[:space:]]*sqlite3 ]] || return 1
    out=${BASH_REMATCH[0]}
    t=${t:${#out}}
    while [[ -n $t ]]; do
        [[ $t == +([[:space:]]) ]] && { out+=$t; break; }
        [[ $t =~ $re_word ]] || return 1
        lead=${BASH_REMATCH[1]} w=${BASH_REMATCH[2]}
        t=${t:${#BASH_REMATCH[0]}}
        if [[ $w == "'"* ]]; then
            body=${w:1:${#w}-2}
            body=${body//"'\\''"/"'"}
            sql_strip_literals "$body" || return 1
            w="'${REPLY//"'"/"'\\''"}'"
        fi
        out+=$lead$w
    done
    REPLY=$out
}

# The rules of one kind (forbidden|write) against the text variants of the command.
check_rules() {
    local kind=$1 i re unless t m rc v base=$H_COMMAND
    # the values inside SQL string literals of a plain sqlite3 call are data: they are not matched
    if sql_data_free "$H_COMMAND"; then base=$REPLY; fi
    local -a variants=("$base")
    # SQL comments hide keywords from a pattern (DROP/**/TABLE): check the text without them too
    if [[ $base == *'/*'* || $base == *--* ]]; then
        strip_sql_comments "$base"
        variants+=("$REPLY")
    fi
    # shell quoting and substitution split a keyword without changing what runs (DR""OP, D\ROP, $(echo DR)OP,
    # a=DR; ...$a...): check the text flattened, and with the literal variables it assigns put in
    flatten "$base"
    [[ $REPLY != "$base" ]] && variants+=("$REPLY")
    if (( ${#L_VARS[@]} )); then
        substitute_vars "$base"
        flatten "$REPLY"
        variants+=("$REPLY")
    fi
    shopt -s nocasematch
    for (( i = 0; i < ${#H_RULE_NAME[@]}; i++ )); do
        [[ ${H_RULE_KIND[i]} == "$kind" ]] || continue
        re=${H_RULE_PATTERN[i]}
        unless=${H_RULE_UNLESS[i]}
        for v in "${variants[@]}"; do
            t=$v
            while :; do
                rc=0
                [[ $t =~ $re ]] || rc=$?
                if (( rc == 2 )); then shopt -u nocasematch; hook_error "bad-pattern" "the pattern of rule ${H_RULE_NAME[i]} does not compile here"; fi
                (( rc == 0 )) || break
                m=${BASH_REMATCH[0]}
                if [[ -n $unless ]]; then
                    rc=0
                    [[ $m =~ $unless ]] || rc=$?
                    if (( rc == 2 )); then shopt -u nocasematch; hook_error "bad-pattern" "the 'unless' pattern of rule ${H_RULE_NAME[i]} does not compile here"; fi
                    if (( rc == 0 )); then
                        # this match is excused; look at the rest of the text
                        if [[ -z $m ]]; then t=${t:1}; else t=${t#*"$m"}; fi
                        [[ -n $t ]] && continue
                        break
                    fi
                fi
                # the boundary characters around a match say nothing: trim spaces and quotes
                m=${m##+([[:space:]\'\"])}
                m=${m%%+([[:space:]\'\"])}
                fire "${H_RULE_NAME[i]}" "${H_RULE_DESC[i]}" "$m"
                continue 3
            done
        done
    done
    shopt -u nocasematch
}

in_list() { # NAME LIST... : exact membership
    local x=$1 y
    shift
    for y in "$@"; do [[ $x == "$y" ]] && return 0; done
    return 1
}

program_allowed() {
    local p=$1 a
    for a in "${H_ALLOWED[@]}"; do
        [[ $p == "$a" ]] && return 0
        if [[ $a != */* ]] && in_list "$p" "/usr/bin/$a" "/bin/$a" "/usr/local/bin/$a" "/usr/sbin/$a" "/sbin/$a"; then
            return 0
        fi
    done
    return 1
}

pre_bash() {
    case $J_COMMAND_KIND in
        missing) hook_error "no-command" "the payload has no tool_input.command" ;;
        other) hook_error "no-command" "tool_input.command is not a string" ;;
    esac
    J_NUL=0
    json_unescape "$J_COMMAND" || hook_error "unreadable-payload" "tool_input.command has an invalid JSON escape"
    H_COMMAND=$REPLY
    (( J_NUL )) && { fire "nul-character" "the command contains a NUL character, which hides the rest of it from checks"; return; }
    [[ $H_COMMAND == *[![:space:]]* ]] || { fire "empty-command" "the command is empty"; return; }

    local inner=$H_COMMAND
    # a whole command of the form  bash -lc '<script>'  is judged by its script
    local wrap_re="^[[:space:]]*(/usr/bin/|/bin/)?(bash|sh|dash)[[:space:]]+-(l?c|cl?)[[:space:]]+'(([^']|'\\\\'')*)'[[:space:]]*\$"
    if [[ $inner =~ $wrap_re ]]; then
        inner=${BASH_REMATCH[4]}
        inner=${inner//\'\\\'\'/\'}
    fi

    lex_command "$inner"
    check_rules forbidden
    [[ $H_PHASE == dry_run ]] && check_rules write
    local p
    if [[ -n $L_PROBLEM ]]; then
        if [[ $H_PHASE == dry_run ]] || (( ${#H_ALLOWED[@]} )); then
            fire "uncheckable-command" "the command uses $L_PROBLEM, which the policy check cannot follow; use plain commands"
        fi
    fi
    if [[ $H_PHASE == dry_run ]]; then
        for p in "${L_REDIRECTS[@]}"; do
            case $p in
                /dev/null|/dev/stdout|/dev/stderr|/dev/tty|/dev/fd/+([0-9])) ;;
                *) fire "dry-run-write:redirect" "in a dry run no command may write a file, and this one redirects output to '$p'" ">$p"; break ;;
            esac
        done
        for p in "${L_PROGRAMS[@]}"; do
            if in_list "${p##*/}" "${H_WRITE_PROGRAMS[@]}"; then
                fire "dry-run-write:program" "in a dry run no command may change anything, and '${p##*/}' writes" "$p"; break
            fi
        done
        for p in "${L_PROGRAMS[@]}"; do
            if in_list "${p##*/}" "${H_OPAQUE_PROGRAMS[@]}"; then
                fire "dry-run-write:opaque-program" "in a dry run every command must be checkable, and '${p##*/}' runs code the check cannot see" "$p"; break
            fi
        done
        if (( ${#L_DYNAMIC[@]} )); then
            fire "dry-run-write:dynamic-program" "in a dry run every program must be named literally, and '${L_DYNAMIC[0]}' is computed when it runs" "${L_DYNAMIC[0]}"
        fi
    fi
    if (( ${#H_ALLOWED[@]} )); then
        for p in "${L_PROGRAMS[@]}"; do
            program_allowed "$p" || { fire "allowed-commands" "'$p' is not an allowed program for this operation (allowed: ${H_ALLOWED[*]})" "$p"; break; }
        done
        if (( ${#L_DYNAMIC[@]} )); then
            fire "allowed-commands" "the program '${L_DYNAMIC[0]}' is computed when the command runs, so it cannot be checked against the allowed programs (${H_ALLOWED[*]})" "${L_DYNAMIC[0]}"
        fi
    fi
}

pre_other_tool() {
    local tool=$J_TOOL_NAME
    json_unescape "$J_INPUT_RAW" || hook_error "unreadable-payload" "tool_input has an invalid JSON escape"
    H_COMMAND=$REPLY
    L_VARS=()
    check_rules forbidden
    if [[ $tool == update_plan ]]; then return; fi
    if [[ $H_PHASE == dry_run ]]; then
        if [[ $tool == apply_patch ]]; then
            fire "dry-run-write:apply_patch" "in a dry run no file may be changed, and apply_patch changes files"
            return
        fi
        in_list "$tool" "${H_ALLOWED[@]}" || fire "dry-run-write:tool" "in a dry run only shell commands that can be checked may run, and the tool '$tool' is not listed in the operation's allowed_commands"
        return
    fi
    if (( ${#H_ALLOWED[@]} )) && ! in_list "$tool" "${H_ALLOWED[@]}"; then
        fire "allowed-commands" "the tool '$tool' is not allowed for this operation (allowed: ${H_ALLOWED[*]})"
    fi
}

pre_block() {
    local n=${#H_RULES[@]} msg
    log_decision verops.hook.blocked PreToolUse "" || H_LOG_FAILED=1
    msg="verops policy (operation $H_OPERATION, ${H_PHASE/_/ }) blocked this call, rule ${H_RULES[0]}: ${H_REASONS[0]}."
    (( n > 1 )) && msg+=" Also: ${H_RULES[*]:1}."
    msg+=" It did not run. Do not try to work around the policy; if the item cannot be done without it, report it as failed."
    (( ${H_LOG_FAILED:-0} )) && msg+=" (The decision could not be recorded.)"
    printf '%s\n' "$msg" >&2
    H_DONE=1
    exit 2
}

# hook_error RULE_SUFFIX REASON: the hook cannot do its job; PreToolUse blocks, PostToolUse records a flag.
hook_error() {
    H_RULES=("hook-error:$1") H_REASONS=("$2")
    if [[ $H_MODE == post ]]; then
        log_decision verops.hook.flagged PostToolUse "" || true
        H_DONE=1
        exit 0
    fi
    pre_block
}

# ---- PostToolUse ------------------------------------------------------------------------------------------------------

# post_analyse TEXT: the flags on one tool output. Sets P_ERROR_LINES, P_LINES, P_EXCERPT, P_HEAD, P_TAIL.
post_analyse() {
    local text=$1 line count=0 total=0 dmatch= eline= k
    local -a lines
    P_EXCERPT= P_HEAD= P_TAIL=
    local IFS=$'\n'
    lines=( $text )
    IFS=$' \t\n'
    total=${#lines[@]}
    shopt -s nocasematch
    if [[ $text == *deleted* || $text == *dropped* || $text == *truncated* ]]; then
        for line in "${lines[@]}"; do
            [[ $line == *deleted* || $line == *dropped* || $line == *truncated* ]] || continue
            if [[ $line =~ $H_DESTRUCTIVE_RE ]]; then clip "$line" 300; dmatch=$REPLY; break; fi
        done
    fi
    if [[ $text == *error* ]]; then
        for line in "${lines[@]}"; do
            if [[ $line == *error* ]]; then
                (( ++count <= 3 )) && { clip "$line" 200; eline+=$REPLY$'\n'; }
            fi
        done
    fi
    shopt -u nocasematch
    P_ERROR_LINES=$count P_LINES=$total
    if [[ -n $dmatch ]]; then
        fire "destructive-output" "the output reports something deleted, dropped or truncated" "$dmatch"
    fi
    if (( count > H_FLOOD_LIMIT )); then
        clip "${eline%%$'\n'*}" 200
        fire "error-flood" "the output has $count lines mentioning error (limit $H_FLOOD_LIMIT)" "$REPLY"
        P_EXCERPT=${eline%$'\n'}
        for (( k = 0; k < total && k < 20; k++ )); do clip "${lines[k]}" 300; P_HEAD+=$REPLY$'\n'; done
        for (( k = total > 40 ? total - 20 : 20; k < total; k++ )); do clip "${lines[k]}" 300; P_TAIL+=$REPLY$'\n'; done
    fi
}

post_feedback() {
    local extra=
    local has_flood=0 r
    for r in "${H_RULES[@]}"; do [[ $r == error-flood ]] && has_flood=1; done
    if (( has_flood )); then
        json_quote "$P_EXCERPT"; extra+=",\"excerpt\":$REPLY"
        extra+=",\"error_lines\":$P_ERROR_LINES,\"limit\":$H_FLOOD_LIMIT"
    fi
    extra+=",\"output_lines\":${P_LINES:-0}"
    log_decision verops.hook.flagged PostToolUse "$extra" || true
    local warn="verops warning (operation $H_OPERATION): ${H_REASONS[*]}."
    warn+=" Report exactly what happened in your final answer; do not claim success for anything this output contradicts."
    if (( has_flood )); then
        # exit 2 replaces the output the model sees: a flood is condensed, a short output is kept whole
        local body=$P_HEAD$P_TAIL how=
        if (( P_LINES > 40 )); then
            body="${P_HEAD}[... $(( P_LINES - 40 )) more lines ...]"$'\n'"$P_TAIL"
            how=", condensed to its first and last 20 lines"
        fi
        printf '%s\nThe tool output (%s non-empty lines, %s mentioning error) follows%s:\n%s' "$warn" "$P_LINES" \
            "$P_ERROR_LINES" "$how" "$body" >&2
        H_DONE=1
        exit 2
    fi
    # otherwise the model keeps the real output and gets the warning as added context
    json_quote "$warn"
    printf '{"hookSpecificOutput":{"hookEventName":"PostToolUse","additionalContext":%s}}\n' "$REPLY"
    H_DONE=1
    exit 0
}

# ---- main -------------------------------------------------------------------------------------------------------------

self_test() {
    local i rc
    (( BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 404 )) || { echo "bash 4.4 or later is required (found $BASH_VERSION)" >&2; return 1; }
    for (( i = 0; i < ${#H_RULE_NAME[@]}; i++ )); do
        rc=0; [[ '' =~ ${H_RULE_PATTERN[i]} ]] || rc=$?
        (( rc == 2 )) && { echo "rule ${H_RULE_NAME[i]}: pattern does not compile in this bash" >&2; return 1; }
        if [[ -n ${H_RULE_UNLESS[i]} ]]; then
            rc=0; [[ '' =~ ${H_RULE_UNLESS[i]} ]] || rc=$?
            (( rc == 2 )) && { echo "rule ${H_RULE_NAME[i]}: 'unless' pattern does not compile in this bash" >&2; return 1; }
        fi
    done
    local dir=${H_LOG%/*}
    [[ -d $dir && -w $dir ]] || { echo "the decisions log folder $dir is not writable" >&2; return 1; }
    echo ok
}

main() {
    case $H_MODE in
        pre|post) ;;
        self-test) self_test; local rc=$?; H_DONE=1; exit $rc ;;
        *) H_MODE=pre; hook_error "usage" "the hook was called without 'pre' or 'post'" ;;
    esac
    (( BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 404 )) || hook_error "bash-version" "bash 4.4 or later is required"
    H_PAYLOAD=
    { H_PAYLOAD=$(</dev/stdin); } 2>/dev/null || hook_error "unreadable-payload" "the hook payload could not be read"
    H_COMMAND=
    local size=${#H_PAYLOAD}
    if [[ $H_MODE == pre ]]; then
        (( size <= H_MAX_PRE_BYTES )) || hook_error "too-large" "the tool call is $size bytes, more than the $H_MAX_PRE_BYTES the policy check reads; split it into smaller commands"
        json_parse "$H_PAYLOAD" || hook_error "unreadable-payload" "the hook payload is not a JSON object ($J_ERROR)"
        [[ -z $J_EVENT || $J_EVENT == PreToolUse ]] || hook_error "unreadable-payload" "hook_event_name is '$J_EVENT' in a PreToolUse hook"
        [[ -n $J_TOOL_NAME ]] || hook_error "unreadable-payload" "the payload has no tool_name"
        case $J_TOOL_NAME in
            Bash|shell|local_shell|exec_command|container.exec) pre_bash ;;
            *) pre_other_tool ;;
        esac
        (( ${#H_RULES[@]} )) && pre_block
        H_DONE=1
        exit 0
    fi
    # PostToolUse
    if (( size > H_MAX_POST_BYTES )); then
        hook_error "too-large" "the tool output ($size bytes) is larger than the $H_MAX_POST_BYTES bytes the check reads; it was not checked"
    else
        json_parse "$H_PAYLOAD" || hook_error "unreadable-payload" "the hook payload is not a JSON object ($J_ERROR)"
        json_unescape "$J_RESPONSE_RAW" || hook_error "unreadable-payload" "tool_response has an invalid JSON escape"
        P_RESPONSE=${REPLY%$'\n'}
        if [[ $J_COMMAND_KIND == string ]]; then
            json_unescape "$J_COMMAND" && H_COMMAND=$REPLY
        else
            json_unescape "$J_INPUT_RAW" && H_COMMAND=${REPLY%$'\n'}
        fi
        post_analyse "$P_RESPONSE"
    fi
    (( ${#H_RULES[@]} )) && post_feedback
    H_DONE=1
    exit 0
}

main
