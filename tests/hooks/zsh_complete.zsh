# zsh -f zsh_complete.zsh SCRIPT WORKDIR LINE: the matches zsh's completion system offers for
# LINE (typed, then TAB) with SCRIPT loaded, one a line, sorted. It runs an interactive zsh on
# a pseudo-terminal (zsh/zpty), where compadd is wrapped to write down what each call adds
# after zsh's own matching against the word under the cursor.
zmodload zsh/zpty || exit 1
script=$1 work=$2 line=$3
matches=$work/zsh-matches
rm -f $matches
zpty shell zsh -f -i
# The prompt is a marker: zle prints it once it has the terminal in raw mode. Typing before
# that is read by the terminal's line discipline, where ^U erases the line before zle sees it.
zpty -w shell "PS1='<pro''mpt>' PS2='' RPS1=''; bindkey -e; setopt no_beep"
zpty -w shell "autoload -U compinit && compinit -u -d ${(q)work}/zcompdump-complete && source ${(q)script}"
# -O, -A and -D only ask which words would match: such a call adds nothing.
zpty -w shell 'compadd() {
    local -a added
    if [[ " $* " == *" -"[OAD]" "* ]]; then builtin compadd "$@"; return; fi
    builtin compadd -A added "$@"
    (( $#added )) && print -rl -- $added >>'"${(q)matches}"'
    builtin compadd "$@"
}'
# Each marker is typed split by quotes, so only the shell's output of it can match.
zpty -w shell "print -r -- '<rea''dy>'"
zpty -r shell output '*<ready>*' || exit 2
zpty -r shell output '*<prompt>*' || exit 2
# The line, TAB, then ^U to clear it and a marker: zle runs the completion before it reads on.
zpty -w -n shell "$line"$'\t'$'\x15'"print -r -- '<do''ne>'"$'\n'
zpty -r shell output '*<done>*' || exit 2
zpty -d shell
[[ ! -e $matches ]] || sort -u $matches
